import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { toIsoDate } from '../../../lib/dates';
import { buildLogLostDealModal } from '../../blocks/logLostDealModal';
import type { TListenerDeps } from '../deps';

export function createLogLostDealShortcutHandler(deps: TListenerDeps) {
  return async ({ shortcut, ack, client, context }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    // Read moments ago by the workspace middleware, so this costs no database round trip.
    const knownCompetitors = context.teamId ? (await deps.workspaceSettings.ofTeam(context.teamId)).competitors : [];
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: buildLogLostDealModal({ defaultOwnerId: shortcut.user.id, today: toIsoDate(deps.now?.() ?? new Date()), knownCompetitors }),
    });
  };
}
