import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { AppError } from '../../../errors';
import { authorizeTeamRetro, loadOutcomeForm } from '../../../services/teamRetro';
import { buildOutcomeModal } from '../../blocks/teamRetro';
import type { TListenerDeps } from '../deps';
import { tellPrivately } from '../ephemeral';
import { OUT_OF_DATE_BUTTON, ZRetroButtonAction, privateReplyTarget } from './retroButton';
import { requestScope } from '../scope';

/** "Record outcome" / "Edit outcome": opens the outcome modal, prefilled when editing. */
export function createRecordOutcomeHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, respond, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZRetroButtonAction.safeParse(body);
    if (!action.success) {
      deps.logger.warn('record_outcome pressed with an unreadable payload', action.error.issues);
      await respond({ response_type: 'ephemeral', replace_original: false, text: OUT_OF_DATE_BUTTON });
      return;
    }
    try {
      const permission = await authorizeTeamRetro(
        { repos: deps.repos, client, managers: deps.managers },
        { retroId: action.data.actions[0]!.value, slackUserId: action.data.user.id, action: 'record or edit the retro outcome', scope: requestScope(context) },
      );
      if (!permission.allowed) {
        await tellPrivately({ client, logger: deps.logger }, privateReplyTarget(action.data, permission.retro), permission.explanation);
        return;
      }
      const form = await loadOutcomeForm(deps, { retro: permission.retro });
      await client.views.open({
        trigger_id: action.data.trigger_id,
        view: buildOutcomeModal({ retroId: form.retro.id, dealName: form.retro.deal.name, repReason: form.repReason, existing: form.existing }),
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.userMessage });
    }
  };
}
