import type { TDeliveryHandlers } from '../outbox/worker';
import { DEBRIEF_SUMMARY_KIND, debriefSummaryHandler } from './debriefs';
import { RETRO_REOPENING_KIND, retroReopeningHandler } from './intakeLoss';
import { LOSS_LOG_KIND, createLossLogHandler, type TLossLogDeps } from './logLostDeal';
import { RETRO_OPENING_KIND, retroOpeningHandler } from './openRetro';
import { PERSPECTIVE_KIND, perspectiveHandler } from './perspectives';
import { OUTCOME_KIND, TEAM_RETRO_AGENDA_KIND, outcomeHandler, teamRetroAgendaHandler } from './teamRetro';

/** The outbox's handler of each kind of Slack delivery; every kind a service queues must be here. */
export function createDeliveryHandlers(deps: TLossLogDeps): TDeliveryHandlers {
  return {
    [LOSS_LOG_KIND]: createLossLogHandler(deps),
    [RETRO_OPENING_KIND]: retroOpeningHandler,
    [RETRO_REOPENING_KIND]: retroReopeningHandler,
    [DEBRIEF_SUMMARY_KIND]: debriefSummaryHandler,
    [PERSPECTIVE_KIND]: perspectiveHandler,
    [TEAM_RETRO_AGENDA_KIND]: teamRetroAgendaHandler,
    [OUTCOME_KIND]: outcomeHandler,
  };
}
