import { ACTIONS, CALLBACKS, COMMANDS } from '../../src/slack/ids';
import { REP, blockAction, logFormState, viewSubmission } from '../../test/helpers/payloads';
import { newTriggerId, signSlackRequest } from '../../test/helpers/slackRequests';

/** Requests exactly as Slack sends them: form-encoded, signed, a fresh trigger_id each. */

export const BENCH_SIGNING_SECRET = 'be4c1be4c1be4c1be4c1be4c1be4c100';
/** The generic CRM webhook's shared secret in the benchmarked Debrief. */
export const BENCH_WEBHOOK_SECRET = 'whsec-bench-5e1f0c2d9a';

export type TScenario = 'slash command' | 'button click' | 'view submission';
export const SCENARIOS: TScenario[] = ['slash command', 'button click', 'view submission'];

const FORM = 'application/x-www-form-urlencoded';

export function signedHeaders(body: string): Record<string, string> {
  return { 'content-type': FORM, ...signSlackRequest(BENCH_SIGNING_SECRET, body) };
}

/** `/losses log`: Debrief acks, then opens the "Log a lost deal" modal. */
export function slashCommandBody(): string {
  return new URLSearchParams({
    command: COMMANDS.losses,
    text: 'log',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'C0TEST',
    user_id: REP,
    user_name: 'rep',
    api_app_id: 'A0TEST',
    trigger_id: newTriggerId(),
    response_url: 'https://hooks.slack.com/commands/T0TEST/1/abc',
  }).toString();
}

/** "Add my debrief" on a retro the clicker owns: Debrief acks, loads the retro, opens the form. */
export function buttonClickBody(retroId: string): string {
  return new URLSearchParams({ payload: JSON.stringify(blockAction({ actionId: ACTIONS.openDebrief, value: retroId, userId: REP })) }).toString();
}

/** A filled-in "Log a lost deal" form: Debrief validates, acks, then stores the deal and opens its retro thread. */
export function logLostDealBody(sequence: number): string {
  const values = logFormState({ dealName: `Bench deal ${sequence}`, crmUrl: `https://crm.example.com/deals/bench-${process.pid}-${sequence}` });
  return new URLSearchParams({ payload: JSON.stringify(viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values })) }).toString();
}

let sequence = 0;

/** A new signed body for each request of a scenario. */
export function requestFor(scenario: TScenario, retroId: string): { body: string; headers: Record<string, string> } {
  const body = scenario === 'slash command' ? slashCommandBody() : scenario === 'button click' ? buttonClickBody(retroId) : logLostDealBody(++sequence);
  return { body, headers: signedHeaders(body) };
}
