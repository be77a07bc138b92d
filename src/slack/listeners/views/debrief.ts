import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { earliestCalendarToday } from '../../../lib/today';
import { recordDebrief } from '../../../services/debriefs';
import { loadReasonCatalog } from '../../../services/lossReasons';
import { DEBRIEF_INPUTS } from '../../ids';
import { parseDebriefMetadata, parseDebriefSubmission } from '../../parsers/debrief';
import { ZViewStateValues, toBlockErrors } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';
import { requestScope } from '../scope';
import { saveBeforeClosing } from './saveBeforeClosing';

const ZSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string().optional(), state: z.object({ values: ZViewStateValues }) }),
});

export function createDebriefSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSubmission.safeParse(body);
    const metadata = submission.success ? parseDebriefMetadata(submission.data.view.private_metadata) : null;
    if (!submission.success || !metadata) {
      await ack({
        response_action: 'errors',
        errors: { [DEBRIEF_INPUTS.primaryReason.block]: 'This form is out of date. Copy your answers, close it and press "Add my debrief" again.' },
      });
      return;
    }
    const now = deps.now?.() ?? new Date();
    // The workspace's reasons as they are now: one retired while the form was open is refused inline.
    const catalog = await loadReasonCatalog(deps, requestScope(context)).catch((error: unknown) => {
      deps.logger.error('Reading the loss reasons for a debrief failed', error);
      return null;
    });
    if (!catalog) {
      // The modal stays open with every answer in it; nothing is lost by trying again.
      await ack({ response_action: 'errors', errors: { [DEBRIEF_INPUTS.primaryReason.block]: 'I could not check this just now. Wait a moment and press Submit again.' } });
      return;
    }
    const parsed = parseDebriefSubmission(submission.data.view.state.values, earliestCalendarToday(now), { catalog, kept: metadata.keptReasons });
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: toBlockErrors(parsed.errors, DEBRIEF_INPUTS) });
      return;
    }
    await saveBeforeClosing({ ack, logger: deps.logger, what: 'your debrief', errorBlockId: DEBRIEF_INPUTS.primaryReason.block }, () =>
      recordDebrief({ repos: deps.repos, client, logger: deps.logger }, { retroId: metadata.retroId, slackUserId: submission.data.user.id, answers: parsed.value, now, scope: requestScope(context) }),
    );
  };
}
