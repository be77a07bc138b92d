import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { buildDigestSettingsRefusedModal } from '../../blocks/digestSettingsModal';
import { buildNotAllowedText } from '../../blocks/permissions';
import { parseWorkspaceSettingsMetadata } from '../../parsers/workspaceSettings';
import { digestSettingsView } from '../commands/digest';
import type { TListenerDeps } from '../deps';

const ZDigestButton = z.object({
  user: z.object({ id: z.string() }),
  trigger_id: z.string(),
  view: z.object({ private_metadata: z.string().max(3000) }),
});

/**
 * /losses settings > Weekly digest > "Digest schedule": pushes the digest's own settings modal on
 * top of the workspace settings, the same one `/losses digest settings` opens. The digest is a
 * manager's choice, so an admin who is not a manager is told why instead.
 */
export function createOpenDigestSettingsHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, context }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZDigestButton.safeParse(body);
    const metadata = action.success ? parseWorkspaceSettingsMetadata(action.data.view.private_metadata) : null;
    if (!action.success || !metadata || !context.teamId) return;
    const slackUserId = action.data.user.id;
    if (!(await deps.managers.isManager(client, slackUserId))) {
      const reason = buildNotAllowedText({ action: 'change the weekly digest', ownerMayToo: false, ownerSlackUserId: null, managers: deps.managers.source, instead: 'The rest of the settings are yours to change.' });
      await client.views.push({ trigger_id: action.data.trigger_id, view: buildDigestSettingsRefusedModal(reason) });
      return;
    }
    const { view } = await digestSettingsView(deps, { slackTeamId: context.teamId, channelId: metadata.channelId });
    await client.views.push({ trigger_id: action.data.trigger_id, view });
  };
}
