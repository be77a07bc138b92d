import { randomBytes } from 'node:crypto';
import { ANONYMOUS_OPTION_VALUE, DEBRIEF_INPUTS, LOG_INPUTS } from '../../src/slack/ids';
import type { TInputState, TViewStateValues } from '../../src/slack/parsers/viewState';
import { FAKE_TEAM_ID } from './fakeSlack';

// Typed factories for the payloads Slack sends, with overrides, as in bolt-js's test helpers.

export const REP = 'U0REP0001';
export const MANAGER = 'U0MGR0001';

const team = { id: FAKE_TEAM_ID, domain: 'test' };
const triggerId = () => `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(8).toString('hex')}`;

type TInputId = { block: string; action: string };

export function stateFor(entries: Array<[TInputId, TInputState]>): TViewStateValues {
  const values: TViewStateValues = {};
  for (const [input, state] of entries) values[input.block] = { [input.action]: state };
  return values;
}

export const text = (value: string | null): TInputState => ({ type: 'plain_text_input', value });
export const select = (value: string | null): TInputState => ({ type: 'static_select', selected_option: value === null ? null : { value } });
export const multiSelect = (values: string[]): TInputState => ({ type: 'multi_static_select', selected_options: values.map((value) => ({ value })) });
export const user = (id: string | null): TInputState => ({ type: 'users_select', selected_user: id });
export const date = (value: string | null): TInputState => ({ type: 'datepicker', selected_date: value });
export const number = (value: string | null): TInputState => ({ type: 'number_input', value });
export const url = (value: string | null): TInputState => ({ type: 'url_text_input', value });
export const checkboxes = (values: string[]): TInputState => ({ type: 'checkboxes', selected_options: values.map((value) => ({ value })) });

export interface TLogFormValues {
  dealName?: string | null;
  amount?: string | null;
  currency?: string | null;
  owner?: string | null;
  competitor?: string | null;
  crmUrl?: string | null;
  lostOn?: string | null;
}

export function logFormState(values: TLogFormValues = {}): TViewStateValues {
  return stateFor([
    [LOG_INPUTS.dealName, text(values.dealName === undefined ? 'Acme Corp renewal' : values.dealName)],
    [LOG_INPUTS.amount, number(values.amount === undefined ? '48000' : values.amount)],
    [LOG_INPUTS.currency, select(values.currency === undefined ? 'USD' : values.currency)],
    [LOG_INPUTS.owner, user(values.owner === undefined ? REP : values.owner)],
    [LOG_INPUTS.competitor, text(values.competitor === undefined ? 'Globex' : values.competitor)],
    [LOG_INPUTS.crmUrl, url(values.crmUrl === undefined ? 'https://crm.example.com/deals/42' : values.crmUrl)],
    [LOG_INPUTS.lostOn, date(values.lostOn === undefined ? '2026-11-20' : values.lostOn)],
  ]);
}

export interface TDebriefFormValues {
  primaryReason?: string | null;
  secondaryReasons?: string[];
  outcome?: string | null;
  winnerName?: string | null;
  whyWinnerWon?: string | null;
  priceToValue?: string | null;
  buyerWords?: string | null;
  wentWell?: string | null;
  wentWrong?: string | null;
  featureGaps?: string | null;
  revisitOn?: string | null;
  anonymous?: boolean;
}

export function debriefFormState(values: TDebriefFormValues = {}): TViewStateValues {
  const pick = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);
  return stateFor([
    [DEBRIEF_INPUTS.primaryReason, select(pick(values.primaryReason, 'price_budget'))],
    [DEBRIEF_INPUTS.secondaryReasons, multiSelect(pick(values.secondaryReasons, ['product_gap']))],
    [DEBRIEF_INPUTS.outcome, select(pick(values.outcome, 'competitor'))],
    [DEBRIEF_INPUTS.winnerName, text(pick(values.winnerName, 'Globex'))],
    [DEBRIEF_INPUTS.whyWinnerWon, text(pick(values.whyWinnerWon, 'Bundled onboarding at no extra cost.'))],
    [DEBRIEF_INPUTS.priceToValue, select(pick(values.priceToValue, 'ours_worse'))],
    [DEBRIEF_INPUTS.buyerWords, text(pick(values.buyerWords, 'Globex gave us the same thing for 30% less.'))],
    [DEBRIEF_INPUTS.wentWell, text(pick(values.wentWell, 'Strong technical validation.'))],
    [DEBRIEF_INPUTS.wentWrong, text(pick(values.wentWrong, 'I never met the economic buyer.'))],
    [DEBRIEF_INPUTS.featureGaps, text(pick(values.featureGaps, 'SSO on the starter plan'))],
    [DEBRIEF_INPUTS.revisitOn, date(pick(values.revisitOn, '2027-05-01'))],
    [DEBRIEF_INPUTS.anonymous, checkboxes(values.anonymous ? [ANONYMOUS_OPTION_VALUE] : [])],
  ]);
}

export function viewSubmission(options: {
  callbackId: string;
  values: TViewStateValues;
  userId?: string;
  viewId?: string;
  privateMetadata?: string;
}): Record<string, unknown> {
  return {
    type: 'view_submission',
    team,
    user: { id: options.userId ?? REP, username: 'rep', name: 'rep', team_id: team.id },
    api_app_id: 'A0TEST',
    token: 'legacy-verification-token',
    trigger_id: triggerId(),
    view: {
      id: options.viewId ?? `V${randomBytes(5).toString('hex').toUpperCase()}`,
      team_id: team.id,
      type: 'modal',
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata ?? '',
      state: { values: options.values },
      hash: '1700000000.abcdef',
      title: { type: 'plain_text', text: 'Modal' },
      blocks: [],
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function blockAction(options: {
  actionId: string;
  value: string;
  userId?: string;
  channelId?: string;
  messageTs?: string;
  responseUrl?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    team,
    user: { id: options.userId ?? REP, username: 'rep', name: 'rep', team_id: team.id },
    api_app_id: 'A0TEST',
    token: 'legacy-verification-token',
    trigger_id: triggerId(),
    container: { type: 'message', message_ts: options.messageTs ?? '1700000000.000100', channel_id: options.channelId ?? 'C0RETROS01', is_ephemeral: false },
    channel: { id: options.channelId ?? 'C0RETROS01', name: 'loss-retros' },
    message: { type: 'message', ts: options.messageTs ?? '1700000000.000100', text: '' },
    response_url: options.responseUrl ?? 'https://hooks.slack.com/actions/T0TEST/1/abc',
    actions: [
      {
        type: 'button',
        action_id: options.actionId,
        block_id: 'b1',
        value: options.value,
        text: { type: 'plain_text', text: 'Button' },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

export function globalShortcut(callbackId: string, userId: string = REP): Record<string, unknown> {
  return {
    type: 'shortcut',
    token: 'legacy-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team,
    user: { id: userId, username: 'rep', team_id: team.id },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: callbackId,
    trigger_id: triggerId(),
  };
}

/** A message shortcut used on a message (a reply in a thread, when threadTs is given). */
export function messageShortcut(options: {
  callbackId: string;
  userId?: string;
  channelId?: string;
  message: { ts: string; threadTs?: string; user?: string; text: string };
}): Record<string, unknown> {
  const channelId = options.channelId ?? 'C0RETROS01';
  return {
    type: 'message_action',
    token: 'legacy-verification-token',
    action_ts: `${Date.now() / 1000}`,
    team,
    user: { id: options.userId ?? REP, username: 'rep', team_id: team.id, name: 'rep' },
    channel: { id: channelId, name: 'loss-retros' },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId,
    trigger_id: triggerId(),
    response_url: 'https://hooks.slack.com/app/T0TEST/1/abc',
    message_ts: options.message.ts,
    message: {
      type: 'message',
      ts: options.message.ts,
      text: options.message.text,
      ...(options.message.user ? { user: options.message.user } : {}),
      ...(options.message.threadTs ? { thread_ts: options.message.threadTs } : {}),
    },
  };
}

export function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${randomBytes(5).toString('hex').toUpperCase()}`): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: team.id,
    api_app_id: 'A0TEST',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: team.id, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
