import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { AppError } from '../../../errors';
import { mentionUser } from '../../../lib/mrkdwn';
import { loadDebriefForm } from '../../../services/debriefs';
import { loadReasonCatalog } from '../../../services/lossReasons';
import { buildDebriefModal } from '../../blocks/debriefModal';
import type { TListenerDeps } from '../deps';
import { requestScope } from '../scope';
import { readRetroButton } from './retroButton';

export function createOpenDebriefHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, respond, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const pressed = await readRetroButton(body, { name: 'open_debrief', respond, logger: deps.logger });
    if (!pressed) return;
    const { user, trigger_id: triggerId } = pressed;
    const retroId = pressed.actions[0]!.value;
    try {
      const [form, reasons] = await Promise.all([
        loadDebriefForm({ repos: deps.repos, client, logger: deps.logger }, { retroId, slackUserId: user.id, scope: requestScope(context) }),
        loadReasonCatalog(deps, requestScope(context)),
      ]);
      const owner = form.deal.ownerSlackUserId;
      // The debrief is the owner's account of the loss; teammates add theirs in the thread.
      if (owner && owner !== user.id) {
        await respond({
          response_type: 'ephemeral',
          replace_original: false,
          text: `This debrief is ${mentionUser(owner)}'s to write. To add what you saw, reply in the retro thread.`,
        });
        return;
      }
      await client.views.open({
        trigger_id: triggerId,
        view: buildDebriefModal({
          retroId,
          dealName: form.deal.name,
          knownCompetitor: form.deal.competitor,
          existing: form.existing,
          // Read moments ago by the workspace middleware: no database round trip.
          knownCompetitors: context.teamId ? (await deps.workspaceSettings.ofTeam(context.teamId)).competitors : [],
          reasons,
        }),
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await respond({ response_type: 'ephemeral', replace_original: false, text: error.userMessage });
    }
  };
}
