import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import type { TPerspectiveAnswers } from '../../../domain/teamRetro';
import { AppError } from '../../../errors';
import { recordPerspective } from '../../../services/perspectives';
import { PERSPECTIVE_INPUTS } from '../../ids';
import { ZRetroMetadata, parseMetadata, parsePerspectiveSubmission } from '../../parsers/teamRetro';
import { ZViewStateValues, toBlockErrors } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';
import { requestScope } from '../scope';
import { codeBlockMrkdwn } from '../../../lib/mrkdwn';

const ZSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string().optional(), state: z.object({ values: ZViewStateValues }) }),
});

function answersAsText(answers: TPerspectiveAnswers): string {
  return `What I saw: ${answers.saw}\nWhat I would change: ${answers.wouldChange}`;
}

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
    await ack();
    const userId = submission.data.user.id;
    try {
      await recordPerspective({ repos: deps.repos, client, logger: deps.logger }, { retroId: metadata.retroId, slackUserId: userId, answers: parsed.value, scope: requestScope(context) });
    } catch (error) {
      if (!(error instanceof AppError)) deps.logger.error('Recording a perspective failed', error);
      const reason = error instanceof AppError ? error.userMessage : 'Something went wrong while saving your perspective.';
      await client.chat
        .postMessage({ channel: userId, text: `${reason} Here is what you wrote, so nothing is lost:\n${codeBlockMrkdwn(answersAsText(parsed.value))}` })
        .catch((dmError: unknown) => deps.logger.error('Could not send the perspective back to its author', dmError));
    }
  };
}
