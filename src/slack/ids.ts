// Every identifier Slack sends back to Debrief, in one place. slack-manifest.yml must agree with
// COMMANDS and SHORTCUTS; test/unit/slack/manifest.test.ts checks that it does.

export const COMMANDS = {
  losses: '/losses',
} as const;

export const SHORTCUTS = {
  logLostDeal: 'log_lost_deal',
} as const;

export const CALLBACKS = {
  logLostDealModal: 'log_lost_deal_modal',
  debriefModal: 'debrief_modal',
} as const;

export const ACTIONS = {
  openDebrief: 'open_debrief',
  openLogModal: 'open_log_modal',
  viewThread: 'view_thread',
} as const;

/** block_id and action_id of each input in the "Log a lost deal" modal. */
export const LOG_INPUTS = {
  dealName: { block: 'deal_name', action: 'deal_name_input' },
  amount: { block: 'amount', action: 'amount_input' },
  currency: { block: 'currency', action: 'currency_select' },
  owner: { block: 'owner', action: 'owner_select' },
  competitor: { block: 'competitor', action: 'competitor_input' },
  crmUrl: { block: 'crm_url', action: 'crm_url_input' },
  lostOn: { block: 'lost_on', action: 'lost_on_picker' },
} as const;

/** block_id and action_id of each input in the debrief modal. */
export const DEBRIEF_INPUTS = {
  primaryReason: { block: 'primary_reason', action: 'primary_reason_select' },
  secondaryReasons: { block: 'secondary_reasons', action: 'secondary_reasons_select' },
  outcome: { block: 'outcome', action: 'outcome_select' },
  winnerName: { block: 'winner_name', action: 'winner_name_input' },
  whyWinnerWon: { block: 'why_winner_won', action: 'why_winner_won_input' },
  priceToValue: { block: 'price_to_value', action: 'price_to_value_select' },
  buyerWords: { block: 'buyer_words', action: 'buyer_words_input' },
  wentWell: { block: 'went_well', action: 'went_well_input' },
  wentWrong: { block: 'went_wrong', action: 'went_wrong_input' },
  featureGaps: { block: 'feature_gaps', action: 'feature_gaps_input' },
  revisitOn: { block: 'revisit_on', action: 'revisit_on_picker' },
} as const;
