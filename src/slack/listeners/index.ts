import type { App } from '@slack/bolt';
import { z } from 'zod';
import { ACTIONS, CALLBACKS, COMMANDS, CRM_CONNECTION_ACTIONS, CRM_CONNECTION_ADD_ACTIONS, LOSS_REASON_ACTIONS, perConnectionAction, SHORTCUTS, WORKSPACE_SETTINGS_ACTIONS } from '../ids';
import { createAnswerFollowUpHandler } from './actions/answerFollowUp';
import { createOpenDebriefHandler } from './actions/openDebrief';
import { createOpenPerspectiveHandler } from './actions/openPerspective';
import { createRecordOutcomeHandler } from './actions/recordOutcome';
import { createRunTeamRetroHandler } from './actions/runTeamRetro';
import { createLossesCommandHandler } from './commands/losses';
import type { TListenerDeps } from './deps';
import { createThreadMessageHandler } from './events/threadMessages';
import { createAppHomeOpenedHandler, createOpenSearchHandler, createSearchMoreHandler, createSearchSubmissionHandler } from './search';
import { createAppUninstalledHandler, createTokensRevokedHandler } from './events/uninstall';
import { createLogLostDealShortcutHandler } from './shortcuts/logLostDeal';
import { createMarkAsLessonShortcutHandler } from './shortcuts/markAsLesson';
import { createDebriefSubmissionHandler } from './views/debrief';
import { createDigestSettingsSubmissionHandler } from './views/digestSettings';
import { createOpenDigestSettingsHandler } from './actions/openDigestSettings';
import { createLogLostDealSubmissionHandler } from './views/logLostDeal';
import { createMarkLessonSubmissionHandler } from './views/markLesson';
import { createPerspectiveSubmissionHandler } from './views/perspective';
import { createRetroOutcomeSubmissionHandler } from './views/retroOutcome';
import { createWorkspaceSettingsSubmissionHandler } from './views/workspaceSettings';
import { createWorkspaceDataDeleteSubmissionHandler } from './views/workspaceDataDelete';
import { createListenerRouter } from './router';
import { createWorkspaceContextMiddleware } from './workspaceContext';
import { createAddLossReasonHandler, createLossReasonFormSubmissionHandler, createLossReasonMenuHandler, createManageLossReasonsHandler } from './lossReasons';
import {
  createAddCrmConnectionHandler,
  createManageCrmConnectionsHandler,
  createNewCrmConnectionSubmissionHandler,
  createReplaceCrmCredentialsHandler,
  createReplaceCrmCredentialsSubmissionHandler,
  createRevokeCrmConnectionHandler,
} from './crmConnections';

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

  app.use(createWorkspaceContextMiddleware(deps));

  // Forms and buttons through one listener each (see router.ts); commands, shortcuts and events as Bolt has them.
  const router = createListenerRouter();

  app.command(COMMANDS.losses, createLossesCommandHandler(deps));
  router.view(CALLBACKS.workspaceSettingsModal, createWorkspaceSettingsSubmissionHandler(deps));
  router.view(CALLBACKS.workspaceDataDeleteModal, createWorkspaceDataDeleteSubmissionHandler(deps));
  router.action(WORKSPACE_SETTINGS_ACTIONS.digestSchedule, createOpenDigestSettingsHandler(deps));
  router.action(LOSS_REASON_ACTIONS.manage, createManageLossReasonsHandler(deps));
  router.action(LOSS_REASON_ACTIONS.add, createAddLossReasonHandler(deps));
  // One action_id per row (Slack wants them unique in a view), all starting with the prefix.
  router.action(new RegExp(`^${LOSS_REASON_ACTIONS.menuPrefix}`), createLossReasonMenuHandler(deps));
  router.view(CALLBACKS.lossReasonFormModal, createLossReasonFormSubmissionHandler(deps));
  router.action(CRM_CONNECTION_ACTIONS.manage, createManageCrmConnectionsHandler(deps));
  for (const actionId of Object.values(CRM_CONNECTION_ADD_ACTIONS)) router.action(actionId, createAddCrmConnectionHandler(deps));
  router.action(perConnectionAction(CRM_CONNECTION_ACTIONS.revoke), createRevokeCrmConnectionHandler(deps));
  router.action(perConnectionAction(CRM_CONNECTION_ACTIONS.replace), createReplaceCrmCredentialsHandler(deps));
  router.view(CALLBACKS.newCrmConnectionModal, createNewCrmConnectionSubmissionHandler(deps));
  router.view(CALLBACKS.replaceCrmCredentialsModal, createReplaceCrmCredentialsSubmissionHandler(deps));
  app.shortcut(SHORTCUTS.logLostDeal, createLogLostDealShortcutHandler(deps));
  router.view(CALLBACKS.logLostDealModal, createLogLostDealSubmissionHandler(deps));
  router.action(ACTIONS.openDebrief, createOpenDebriefHandler(deps));
  router.view(CALLBACKS.debriefModal, createDebriefSubmissionHandler(deps));
  const answerFollowUp = createAnswerFollowUpHandler(deps);
  router.action(ACTIONS.followUpSnoozeTwoWeeks, answerFollowUp);
  router.action(ACTIONS.followUpSnoozeOneMonth, answerFollowUp);
  router.action(ACTIONS.followUpDone, answerFollowUp);
  router.action(ACTIONS.openPerspective, createOpenPerspectiveHandler(deps));
  router.view(CALLBACKS.perspectiveModal, createPerspectiveSubmissionHandler(deps));
  router.action(ACTIONS.runTeamRetro, createRunTeamRetroHandler(deps));
  router.action(ACTIONS.recordOutcome, createRecordOutcomeHandler(deps));
  router.view(CALLBACKS.retroOutcomeModal, createRetroOutcomeSubmissionHandler(deps));
  app.shortcut(SHORTCUTS.markAsLesson, createMarkAsLessonShortcutHandler(deps));
  router.view(CALLBACKS.markLessonModal, createMarkLessonSubmissionHandler(deps));
  router.view(CALLBACKS.digestSettingsModal, createDigestSettingsSubmissionHandler(deps));
  router.action(ACTIONS.searchMore, createSearchMoreHandler(deps));
  router.action(ACTIONS.openSearch, createOpenSearchHandler(deps));
  router.view(CALLBACKS.searchModal, createSearchSubmissionHandler(deps));
  router.register(app);
  app.event('app_home_opened', createAppHomeOpenedHandler(deps));
  app.event('message', createThreadMessageHandler(deps));
  app.event('app_uninstalled', createAppUninstalledHandler(deps));
  app.event('tokens_revoked', createTokensRevokedHandler(deps));

  // Logged here, then handed back to the receiver: a listener that failed before acking gets a
  // prompt 500 (Slack shows the person an error at once) instead of Bolt's 404 three seconds later;
  // one that had already acked has nothing left to answer (see ValidatingHTTPReceiver).
  app.error((error) => {
    deps.logger.error('Unhandled error in a Slack listener', error);
    return Promise.reject(error);
  });
}
