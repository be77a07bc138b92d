import type { App } from '@slack/bolt';
import { z } from 'zod';
import { ACTIONS, CALLBACKS, COMMANDS, SHORTCUTS } from '../ids';
import { createOpenDebriefHandler } from './actions/openDebrief';
import { createLossesCommandHandler } from './commands/losses';
import type { TListenerDeps } from './deps';
import { createThreadMessageHandler } from './events/threadMessages';
import { createLogLostDealShortcutHandler } from './shortcuts/logLostDeal';
import { createDebriefSubmissionHandler } from './views/debrief';
import { createLogLostDealSubmissionHandler } from './views/logLostDeal';

const ZEventIdentity = z.object({ event_id: z.string() });

export function registerListeners(app: App, deps: TListenerDeps): void {
  // Slack redelivers an event it thinks went unanswered; its event_id tells the copies apart.
  app.use(async ({ body, next }) => {
    const identity = ZEventIdentity.safeParse(body);
    if (identity.success && !(await deps.repos.processedEvents.claim(identity.data.event_id))) {
      deps.logger.debug(`Skipping redelivered event ${identity.data.event_id}`);
      return;
    }
    try {
      await next();
    } catch (error) {
      // Let Slack's next retry try again rather than being skipped as a duplicate.
      if (identity.success) await deps.repos.processedEvents.release(identity.data.event_id);
      throw error;
    }
  });

  app.command(COMMANDS.losses, createLossesCommandHandler(deps));
  app.shortcut(SHORTCUTS.logLostDeal, createLogLostDealShortcutHandler(deps));
  app.view(CALLBACKS.logLostDealModal, createLogLostDealSubmissionHandler(deps));
  app.action(ACTIONS.openDebrief, createOpenDebriefHandler(deps));
  app.view(CALLBACKS.debriefModal, createDebriefSubmissionHandler(deps));
  app.event('message', createThreadMessageHandler(deps));

  app.error((error) => {
    deps.logger.error('Unhandled error in a Slack listener', error);
    return Promise.resolve();
  });
}
