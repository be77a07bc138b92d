import type { AllMiddlewareArgs, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { toIsoDate } from '../../../lib/dates';
import { buildLogLostDealModal } from '../../blocks/logLostDealModal';
import type { TListenerDeps } from '../deps';

export function createLogLostDealShortcutHandler(deps: TListenerDeps) {
  return async ({ shortcut, ack, client }: SlackShortcutMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await client.views.open({
      trigger_id: shortcut.trigger_id,
      view: buildLogLostDealModal({ defaultOwnerId: shortcut.user.id, today: toIsoDate(deps.now?.() ?? new Date()) }),
    });
  };
}
