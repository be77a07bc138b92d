import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { recordPerspective } from '../../../services/perspectives';
import { PERSPECTIVE_INPUTS } from '../../ids';
import { ZRetroMetadata, parseMetadata, parsePerspectiveSubmission } from '../../parsers/teamRetro';
import { ZViewStateValues, toBlockErrors } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';
import { requestScope } from '../scope';
import { saveBeforeClosing } from './saveBeforeClosing';

const ZSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string().optional(), state: z.object({ values: ZViewStateValues }) }),
});

export function createPerspectiveSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSubmission.safeParse(body);
    const metadata = submission.success ? parseMetadata(ZRetroMetadata, submission.data.view.private_metadata) : null;
    if (!submission.success || !metadata) {
      await ack({
        response_action: 'errors',
        errors: { [PERSPECTIVE_INPUTS.saw.block]: 'This form is out of date. Copy your answers, close it and press "Add my perspective" again.' },
      });
      return;
    }
    const parsed = parsePerspectiveSubmission(submission.data.view.state.values);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: toBlockErrors(parsed.errors, PERSPECTIVE_INPUTS) });
      return;
    }
    await saveBeforeClosing({ ack, logger: deps.logger, what: 'your perspective', errorBlockId: PERSPECTIVE_INPUTS.saw.block }, () =>
      recordPerspective({ repos: deps.repos, client, logger: deps.logger }, { retroId: metadata.retroId, slackUserId: submission.data.user.id, answers: parsed.value, scope: requestScope(context) }),
    );
  };
}
