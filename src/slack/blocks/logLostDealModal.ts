import type { KnownBlock, ModalView } from '@slack/types';
import { COMMON_CURRENCIES } from '../../lib/money';
import { CALLBACKS, LOG_INPUTS } from '../ids';
import { context, option, plain } from './elements';

export interface TLogModalOptions {
  /** Pre-selects the person who opened the modal as the owner; most reps log their own losses. */
  defaultOwnerId?: string;
  today: string;
  defaultCurrency?: string;
  /** JSON that survives the round trip, e.g. the channel the command came from. */
  privateMetadata?: string;
  /** The competitors the workspace listed in /losses settings, suggested under "Who won?". */
  knownCompetitors?: readonly string[];
}

/** "The vendor the buyer chose…", with the team's list when it has one (a hint holds 2000 characters). */
export function competitorHint(knownCompetitors: readonly string[] | undefined): string {
  const base = 'The vendor the buyer chose. Leave empty for no decision or if you do not know yet.';
  if (!knownCompetitors || knownCompetitors.length === 0) return base;
  return `${base} Known competitors: ${knownCompetitors.join(', ')}.`;
}

export function buildLogLostDealModal(options: TLogModalOptions): ModalView {
  const currency = options.defaultCurrency ?? 'USD';
  const currencies = COMMON_CURRENCIES.includes(currency as (typeof COMMON_CURRENCIES)[number])
    ? [...COMMON_CURRENCIES]
    : [currency, ...COMMON_CURRENCIES];
  const blocks: KnownBlock[] = [
    context('Log a deal you lost and Debrief opens a retro thread for it, with a debrief for the owner.'),
    {
      type: 'input',
      block_id: LOG_INPUTS.dealName.block,
      label: plain('Deal name'),
      element: {
        type: 'plain_text_input',
        action_id: LOG_INPUTS.dealName.action,
        max_length: 200,
        placeholder: plain('e.g. Acme Corp: 2027 platform renewal'),
      },
    },
    {
      type: 'input',
      block_id: LOG_INPUTS.amount.block,
      optional: true,
      label: plain('Amount'),
      element: {
        type: 'number_input',
        action_id: LOG_INPUTS.amount.action,
        is_decimal_allowed: true,
        min_value: '0',
        placeholder: plain('e.g. 48000'),
      },
    },
    {
      type: 'input',
      block_id: LOG_INPUTS.currency.block,
      label: plain('Currency'),
      element: {
        type: 'static_select',
        action_id: LOG_INPUTS.currency.action,
        options: currencies.map((code) => option(code, code)),
        initial_option: option(currency, currency),
      },
    },
    {
      type: 'input',
      block_id: LOG_INPUTS.owner.block,
      label: plain('Deal owner'),
      hint: plain('They are asked for the debrief.'),
      element: {
        type: 'users_select',
        action_id: LOG_INPUTS.owner.action,
        ...(options.defaultOwnerId ? { initial_user: options.defaultOwnerId } : {}),
      },
    },
    {
      type: 'input',
      block_id: LOG_INPUTS.competitor.block,
      optional: true,
      label: plain('Who won?'),
      hint: plain(competitorHint(options.knownCompetitors), 2000),
      element: { type: 'plain_text_input', action_id: LOG_INPUTS.competitor.action, max_length: 120 },
    },
    {
      type: 'input',
      block_id: LOG_INPUTS.crmUrl.block,
      optional: true,
      label: plain('Link to the CRM record'),
      element: { type: 'url_text_input', action_id: LOG_INPUTS.crmUrl.action },
    },
    {
      type: 'input',
      block_id: LOG_INPUTS.lostOn.block,
      label: plain('Lost on'),
      element: { type: 'datepicker', action_id: LOG_INPUTS.lostOn.action, initial_date: options.today },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.logLostDealModal,
    title: plain('Log a lost deal', 24),
    submit: plain('Open retro', 24),
    close: plain('Cancel', 24),
    blocks,
    ...(options.privateMetadata ? { private_metadata: options.privateMetadata } : {}),
  };
}
