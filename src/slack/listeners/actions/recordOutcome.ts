import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { AppError } from '../../../errors';
import { loadReasonCatalog } from '../../../services/lossReasons';
import { authorizeTeamRetro, loadOutcomeForm } from '../../../services/teamRetro';
import { buildOutcomeModal } from '../../blocks/teamRetro';
import type { TListenerDeps } from '../deps';
import { tellPrivately } from '../ephemeral';
import { privateReplyTarget, readRetroButton } from './retroButton';
import { requestScope } from '../scope';

/** "Record outcome" / "Edit outcome": opens the outcome modal, prefilled when editing. */
export function createRecordOutcomeHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, respond, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const pressed = await readRetroButton(body, { name: 'record_outcome', respond, logger: deps.logger });
    if (!pressed) return;
    try {
      const permission = await authorizeTeamRetro(
        { repos: deps.repos, client, managers: deps.managers },
        { retroId: pressed.actions[0]!.value, slackUserId: pressed.user.id, action: 'record or edit the retro outcome', scope: requestScope(context) },
      );
      if (!permission.allowed) {
        await tellPrivately({ client, logger: deps.logger }, privateReplyTarget(pressed, permission.retro), permission.explanation);
        return;
      }
      const [form, reasons] = await Promise.all([loadOutcomeForm(deps, { retro: permission.retro }), loadReasonCatalog(deps, { workspaceId: permission.retro.workspaceId })]);
      await client.views.open({
        trigger_id: pressed.trigger_id,
        view: buildOutcomeModal({ retroId: form.retro.id, dealName: form.retro.deal.name, repReason: form.repReason, existing: form.existing, reasons }),
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.userMessage });
    }
  };
}
