// The rep's debrief, built on win/loss practice: open questions, the buyer's words kept apart
// from the rep's view, and the winner's side of the story asked for explicitly.

/**
 * The built-in loss reasons: every workspace's until it edits its own in /losses settings (see
 * domain/lossReasons.ts). Debriefs store the value, so these values stay meaningful forever.
 */
export const LOSS_REASONS = [
  { value: 'price_budget', label: 'Price or budget' },
  { value: 'product_gap', label: 'Product gap' },
  { value: 'competitor_strength', label: 'Competitor strength' },
  { value: 'relationship_champion', label: 'Relationship or champion' },
  { value: 'timing_no_decision', label: 'Timing or no decision' },
  { value: 'risk_implementation', label: 'Risk or implementation concerns' },
  { value: 'sales_execution', label: 'Sales execution' },
  { value: 'procurement_legal_security', label: 'Procurement, legal or security' },
  { value: 'other', label: 'Other' },
] as const;
/**
 * A reason's stored value: one of LOSS_REASONS, or a value the workspace added. Labels come from
 * the workspace's catalog (domain/lossReasons.ts reasonLabel), never from the value itself.
 */
export type TLossReason = string;

export const OUTCOMES = [
  { value: 'competitor', label: 'Another vendor won' },
  { value: 'no_decision', label: 'No decision: they stayed as they were' },
  { value: 'in_house', label: 'They built it in-house' },
  { value: 'unknown', label: "We don't know yet" },
] as const;
export type TOutcome = (typeof OUTCOMES)[number]['value'];
export const OUTCOME_VALUES = OUTCOMES.map((outcome) => outcome.value) as [TOutcome, ...TOutcome[]];

export const PRICE_TO_VALUE = [
  { value: 'ours_better', label: 'Better value than the winner' },
  { value: 'similar', label: 'About the same value' },
  { value: 'ours_worse', label: 'Less value for the price than the winner' },
  { value: 'unknown', label: "It didn't come up / we don't know" },
] as const;
export type TPriceToValue = (typeof PRICE_TO_VALUE)[number]['value'];
export const PRICE_TO_VALUE_VALUES = PRICE_TO_VALUE.map((option) => option.value) as [TPriceToValue, ...TPriceToValue[]];

export const LONG_ANSWER_MAX = 2900;
/** The winner's name, as the modal's input allows it. */
export const WINNER_NAME_MAX = 120;

export interface TDebriefAnswers {
  primaryReason: TLossReason;
  secondaryReasons: TLossReason[];
  outcome: TOutcome;
  winnerName: string | null;
  whyWinnerWon: string | null;
  priceToValue: TPriceToValue | null;
  buyerWords: string | null;
  wentWell: string | null;
  wentWrong: string | null;
  featureGaps: string | null;
  /** YYYY-MM-DD */
  revisitOn: string | null;
  /** "Don't show my name in digests": digests and search leave the author out; managers still see who. */
  anonymous: boolean;
}

export type TDebriefField = keyof TDebriefAnswers;
export type TFieldErrors<F extends string> = Partial<Record<F, string>>;

export function labelOf<T extends { value: string; label: string }>(options: readonly T[], value: string): string {
  return options.find((option) => option.value === value)?.label ?? value;
}

/** Cross-field rules the modal's own elements cannot express; empty when the answers hold. */
export function validateDebrief(answers: TDebriefAnswers, today: string): TFieldErrors<TDebriefField> {
  const errors: TFieldErrors<TDebriefField> = {};
  if (answers.secondaryReasons.includes(answers.primaryReason)) {
    errors.secondaryReasons = 'Leave out the primary reason here; pick only the other reasons.';
  }
  if (answers.outcome === 'competitor' && !answers.winnerName) {
    errors.winnerName = 'Name the vendor who won, so the team can learn how we lose to them.';
  }
  if (answers.outcome !== 'competitor' && answers.winnerName && answers.outcome !== 'unknown') {
    errors.winnerName = 'No vendor won, so leave this empty (or change who won).';
  }
  // The modal already limits these; a forged submission must not get further.
  if (answers.winnerName && answers.winnerName.length > WINNER_NAME_MAX) errors.winnerName = `Keep the name under ${WINNER_NAME_MAX} characters.`;
  for (const field of ['whyWinnerWon', 'buyerWords', 'wentWell', 'wentWrong', 'featureGaps'] as const) {
    if ((answers[field]?.length ?? 0) > LONG_ANSWER_MAX) errors[field] = `Keep it under ${LONG_ANSWER_MAX} characters.`;
  }
  if (answers.revisitOn !== null && answers.revisitOn <= today) {
    errors.revisitOn = 'Pick a date after today to get back in touch.';
  }
  const hasNoStory = [answers.whyWinnerWon, answers.buyerWords, answers.wentWell, answers.wentWrong].every(
    (text) => text === null,
  );
  if (hasNoStory) {
    errors.wentWrong = 'Tell the team at least one thing: what went wrong or what you would do differently.';
  }
  return errors;
}
