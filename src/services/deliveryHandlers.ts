import type { TDeliveryHandlers } from '../outbox/worker';
import { RETRO_OPENING_KIND, retroOpeningHandler } from './openRetro';

/** The outbox's handler of each kind of Slack delivery; every kind a service queues must be here. */
export function createDeliveryHandlers(): TDeliveryHandlers {
  return {
    [RETRO_OPENING_KIND]: retroOpeningHandler,
  };
}
