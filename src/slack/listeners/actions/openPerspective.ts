import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { AppError } from '../../../errors';
import { loadPerspectiveForm } from '../../../services/perspectives';
import { buildPerspectiveModal } from '../../blocks/perspective';
import type { TListenerDeps } from '../deps';
import { tellPrivately } from '../ephemeral';
import { privateReplyTarget, readRetroButton } from './retroButton';
import { requestScope } from '../scope';

/** "Add my perspective": opens the modal, prefilled with the person's saved perspective if any. */
export function createOpenPerspectiveHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, respond, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const pressed = await readRetroButton(body, { name: 'open_perspective', respond, logger: deps.logger });
    if (!pressed) return;
    const retroId = pressed.actions[0]!.value;
    try {
      const form = await loadPerspectiveForm(deps, { retroId, slackUserId: pressed.user.id, scope: requestScope(context) });
      // The owner's account of the loss is the debrief; a second one from them would split it.
      if (form.retro.deal.ownerSlackUserId === pressed.user.id) {
        await tellPrivately(
          { client, logger: deps.logger },
          privateReplyTarget(pressed, form.retro),
          'This is your deal, so your view goes in the debrief: press *Add my debrief* (or *Edit debrief*) in this thread. Perspectives are for teammates.',
        );
        return;
      }
      await client.views.open({
        trigger_id: pressed.trigger_id,
        view: buildPerspectiveModal({ retroId, dealName: form.retro.deal.name, existing: form.existing }),
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.userMessage });
    }
  };
}
