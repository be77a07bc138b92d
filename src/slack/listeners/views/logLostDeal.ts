import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { ZLostDeal } from '../../../domain/lostDeal';
import { isoDateToUtcDate } from '../../../lib/dates';
import { latestCalendarToday } from '../../../lib/today';
import { lossLogged } from '../../../services/logLostDeal';
import { retroChannelNotSet } from '../../../services/openRetro';
import { LOG_INPUTS } from '../../ids';
import { parseLogLostDealSubmission } from '../../parsers/logLostDeal';
import { ZViewStateValues, toBlockErrors } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';
import { saveBeforeClosing } from './saveBeforeClosing';

const ZSubmission = z.object({
  team: z.object({ id: z.string() }).nullable(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  view: z.object({ id: z.string(), state: z.object({ values: ZViewStateValues }) }),
});

export function createLogLostDealSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSubmission.safeParse(body);
    if (!submission.success) {
      await ack({ response_action: 'errors', errors: { [LOG_INPUTS.dealName.block]: 'Slack sent this form in a shape I do not understand. Close it and try again.' } });
      return;
    }
    const { user, view, team } = submission.data;
    const now = deps.now?.() ?? new Date();
    const parsed = parseLogLostDealSubmission(view.state.values, latestCalendarToday(now));
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: toBlockErrors(parsed.errors, LOG_INPUTS) });
      return;
    }
    const input = parsed.value;
    // The view id is unique to this modal, so a double-submitted form still opens one retro.
    const deal = ZLostDeal.parse({
      source: 'manual',
      externalId: `slack-view:${view.id}`,
      name: input.dealName,
      amount: input.amount,
      currency: input.currency,
      owner: { slackUserId: input.ownerSlackUserId },
      competitor: input.competitor,
      lossReason: null,
      crmUrl: input.crmUrl,
      lostAt: isoDateToUtcDate(input.lostOn),
      loggedBySlackUserId: user.id,
    });
    const slackTeamId = team?.id ?? user.team_id ?? 'unknown';
    // Read moments ago by the workspace middleware (cached), so this costs no database round trip.
    const { retroChannelId } = await deps.workspaceSettings.ofTeam(slackTeamId);
    if (!retroChannelId) {
      // Nothing to retry in the form: it closes, and a DM says what to do.
      await ack();
      await client.chat.postMessage({ channel: user.id, text: retroChannelNotSet().userMessage }).catch((dmError: unknown) => {
        deps.logger.error('Could not tell the person who logged the deal why it was not saved', dmError);
      });
      return;
    }
    // Queued (one row) before the modal closes; the outbox stores the deal and its retro and opens
    // the thread a moment later. A form Slack saw accepted is never lost to a crash, a failure
    // keeps the form open, and accepting it costs one database write.
    await saveBeforeClosing({ ack, logger: deps.logger, what: 'this deal', errorBlockId: LOG_INPUTS.dealName.block }, () =>
      deps.repos.slackDeliveries.enqueueForTeam(slackTeamId, lossLogged({ viewId: view.id, slackTeamId, deal })),
    );
  };
}
