import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { AppError } from '../../../errors';
import { earliestCalendarToday } from '../../../lib/today';
import { loadReasonCatalog } from '../../../services/lossReasons';
import { authorizeTeamRetro, existingDueDates, recordRetroOutcome } from '../../../services/teamRetro';
import { OUTCOME_INPUTS } from '../../ids';
import { ZRetroMetadata, parseMetadata, parseOutcomeSubmission } from '../../parsers/teamRetro';
import { ZViewStateValues } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';
import { requestScope } from '../scope';
import { saveBeforeClosing } from './saveBeforeClosing';

const ZSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string().optional(), state: z.object({ values: ZViewStateValues }) }),
});

/** Saves the outcome: validates every row inline, re-checks who may close, then ack and publish. */
export function createRetroOutcomeSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSubmission.safeParse(body);
    const metadata = submission.success ? parseMetadata(ZRetroMetadata, submission.data.view.private_metadata) : null;
    const errorOn = (message: string) => ({ response_action: 'errors' as const, errors: { [OUTCOME_INPUTS.primaryReason.block]: message } });
    if (!submission.success || !metadata) {
      await ack(errorOn('This form is out of date. Close it and press "Record outcome" again.'));
      return;
    }
    const userId = submission.data.user.id;
    const now = deps.now?.() ?? new Date();
    let permission;
    try {
      permission = await authorizeTeamRetro({ repos: deps.repos, client, managers: deps.managers }, { retroId: metadata.retroId, slackUserId: userId, action: 'record the outcome', scope: requestScope(context) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await ack(errorOn(error.userMessage));
      return;
    }
    // The modal only opens for them, but membership can change while it is open.
    if (!permission.allowed) {
      await ack(errorOn('Only managers and the deal owner can record the outcome of this retro.'));
      return;
    }
    const [dueDates, reasons] = await Promise.all([existingDueDates(deps, permission.retro.id), loadReasonCatalog(deps, { workspaceId: permission.retro.workspaceId })]);
    const parsed = parseOutcomeSubmission(submission.data.view.state.values, {
      earliestDueOn: earliestCalendarToday(now),
      existingDueDates: dueDates,
      reasons,
      keptReason: metadata.keptReason ?? null,
    });
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: parsed.errors });
      return;
    }
    await saveBeforeClosing({ ack, logger: deps.logger, what: 'the retro outcome', errorBlockId: OUTCOME_INPUTS.primaryReason.block }, () =>
      recordRetroOutcome({ repos: deps.repos, client, logger: deps.logger }, { retroId: permission.retro.id, slackUserId: userId, answers: parsed.value, now, scope: requestScope(context) }),
    );
  };
}
