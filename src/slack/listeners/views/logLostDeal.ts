import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { ZLostDeal } from '../../../domain/lostDeal';
import { AppError } from '../../../errors';
import { isoDateToUtcDate } from '../../../lib/dates';
import { escapeMrkdwn, linkMrkdwn } from '../../../lib/mrkdwn';
import { latestCalendarToday } from '../../../lib/today';
import { openRetro } from '../../../services/openRetro';
import { LOG_INPUTS } from '../../ids';
import { parseLogLostDealSubmission } from '../../parsers/logLostDeal';
import { ZViewStateValues, toBlockErrors } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';

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
    // Stored before the modal closes: opening a retro only writes to the database (the thread,
    // the owner's DM and the note to whoever logged it are posted by the outbox a moment later),
    // so a form Slack saw accepted is never lost to a crash, and a failure keeps the form open.
    let result: Awaited<ReturnType<typeof openRetro>>;
    try {
      result = await openRetro(
        { repos: deps.repos, client, logger: deps.logger, reminders: deps.reminders, now: deps.now },
        { slackTeamId: team?.id ?? user.team_id ?? 'unknown', channelId: deps.retroChannelId, deal },
      );
    } catch (error) {
      if (error instanceof AppError) {
        // Nothing to retry in the form (no retro channel chosen yet): it closes, and a DM says what to do.
        await ack();
        await client.chat.postMessage({ channel: user.id, text: error.userMessage }).catch((dmError: unknown) => {
          deps.logger.error('Could not tell the person who logged the deal why it was not saved', dmError);
        });
        return;
      }
      // The database did not answer: the form stays open with the person's answers, to submit again.
      deps.logger.error('Storing a lost deal from the log modal failed', error);
      await ack({ response_action: 'errors', errors: { [LOG_INPUTS.dealName.block]: 'I could not save this just now. Wait a moment and press Submit again.' } });
      return;
    }
    await ack();
    if (!result.created) {
      const where = result.permalink ? linkMrkdwn(result.permalink, 'the retro thread') : 'the retro channel';
      // The CRM (or a colleague) got there first: a link to the record is how they were matched.
      await client.chat
        .postMessage({ channel: user.id, text: `*${escapeMrkdwn(result.retro.deal.name)}* already has a retro, so I did not open another: it is in ${where}.` })
        .catch((dmError: unknown) => deps.logger.error('Could not tell the person who logged the deal that it already has a retro', dmError));
    }
  };
}
