import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { AppError } from '../../../errors';
import { codeBlockMrkdwn, escapeMrkdwn } from '../../../lib/mrkdwn';
import { authorizeLessonMarking, markReplyAsLesson } from '../../../services/teamRetro';
import { MARK_LESSON_INPUTS } from '../../ids';
import { ZMarkLessonMetadata, parseMarkLessonSubmission, parseMetadata } from '../../parsers/teamRetro';
import { ZViewStateValues, toBlockErrors } from '../../parsers/viewState';
import type { TListenerDeps } from '../deps';
import { tellPrivately } from '../ephemeral';
import { requestScope } from '../scope';

const ZSubmission = z.object({
  user: z.object({ id: z.string() }),
  view: z.object({ private_metadata: z.string().optional(), state: z.object({ values: ZViewStateValues }) }),
});

export function createMarkLessonSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSubmission.safeParse(body);
    const metadata = submission.success ? parseMetadata(ZMarkLessonMetadata, submission.data.view.private_metadata) : null;
    if (!submission.success || !metadata) {
      await ack({ response_action: 'errors', errors: { [MARK_LESSON_INPUTS.text.block]: 'This form is out of date. Close it and use "Mark as lesson" again.' } });
      return;
    }
    const parsed = parseMarkLessonSubmission(submission.data.view.state.values);
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: toBlockErrors(parsed.errors, MARK_LESSON_INPUTS) });
      return;
    }
    const userId = submission.data.user.id;
    const permission = await authorizeLessonMarking({ client, managers: deps.managers }, { slackUserId: userId });
    if (!permission.allowed) {
      await ack({ response_action: 'errors', errors: { [MARK_LESSON_INPUTS.text.block]: 'Only managers can mark replies as lessons.' } });
      return;
    }
    await ack();
    try {
      const { created, retro } = await markReplyAsLesson(
        { repos: deps.repos, client, logger: deps.logger },
        { ...metadata, text: parsed.value.text, shareWithNewReps: parsed.value.shareWithNewReps, markedBySlackUserId: userId, scope: requestScope(context) },
      );
      const audience = parsed.value.shareWithNewReps ? ', shared with new reps' : '';
      await tellPrivately(
        { client, logger: deps.logger },
        { channelId: retro.channelId, slackUserId: userId, threadTs: retro.messageTs },
        `:pushpin: ${created ? 'Kept as a lesson of this retro' : 'Lesson updated'}${audience}: “${escapeMrkdwn(parsed.value.text)}”`,
      );
    } catch (error) {
      if (!(error instanceof AppError)) deps.logger.error('Marking a lesson failed', error);
      const reason = error instanceof AppError ? error.userMessage : 'Something went wrong while keeping that lesson.';
      await client.chat
        .postMessage({ channel: userId, text: `${reason} The lesson you wrote:\n${codeBlockMrkdwn(parsed.value.text)}` })
        .catch((dmError: unknown) => deps.logger.error('Could not send the lesson back to its author', dmError));
    }
  };
}
