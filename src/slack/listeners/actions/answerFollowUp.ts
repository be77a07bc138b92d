import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { AppError } from '../../../errors';
import { answerRevisitFollowUp, type TFollowUpChoice } from '../../../services/reminders/revisitFollowUps';
import { ACTIONS } from '../../ids';
import type { TListenerDeps } from '../deps';
import { requestScope } from '../scope';

const CHOICES: Record<string, TFollowUpChoice> = {
  [ACTIONS.followUpSnoozeTwoWeeks]: 'snooze_two_weeks',
  [ACTIONS.followUpSnoozeOneMonth]: 'snooze_one_month',
  [ACTIONS.followUpDone]: 'done',
};

const ZFollowUpAction = z.object({
  user: z.object({ id: z.string() }),
  actions: z.array(z.object({ action_id: z.string(), value: z.uuid() })).min(1),
});

/** "Snooze 2 weeks", "Snooze 1 month" and "Done" on the revisit follow-up DM. */
export function createAnswerFollowUpHandler(deps: TListenerDeps) {
  return async ({ ack, body, respond, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const parsed = ZFollowUpAction.safeParse(body);
    const action = parsed.success ? parsed.data.actions[0] : undefined;
    const choice = action ? CHOICES[action.action_id] : undefined;
    if (!parsed.success || !action || !choice) {
      deps.logger.warn('A follow-up button was pressed with an unreadable payload', parsed.error?.issues);
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'That button is out of date, so nothing changed.' });
      return;
    }
    try {
      const { message } = await answerRevisitFollowUp(
        { repos: deps.repos },
        { debriefId: action.value, slackUserId: parsed.data.user.id, choice, now: deps.now?.() ?? new Date(), scope: requestScope(context) },
      );
      // The DM itself changes: the buttons give way to the answer, so a second press is not possible.
      await respond({ replace_original: true, text: message.text, blocks: message.blocks });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.userMessage });
    }
  };
}
