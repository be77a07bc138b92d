import { z } from 'zod';
import {
  OUTCOME_VALUES,
  PRICE_TO_VALUE_VALUES,
  validateDebrief,
  type TDebriefAnswers,
  type TDebriefField,
} from '../../domain/debrief';
import { DEFAULT_REASON_CATALOG, isSelectableReason, REASON_VALUE_PATTERN, type TReasonCatalog } from '../../domain/lossReasons';
import { ANONYMOUS_OPTION_VALUE, DEBRIEF_INPUTS } from '../ids';
import type { TParseResult } from './logLostDeal';
import { inputState, selectedValue, selectedValues, textValue, type TViewStateValues } from './viewState';

const ZLossReason = z.string().regex(REASON_VALUE_PATTERN);
const ZOutcome = z.enum(OUTCOME_VALUES);
const ZPriceToValue = z.enum(PRICE_TO_VALUE_VALUES);

export const ZDebriefMetadata = z.object({
  retroId: z.uuid(),
  /** The reasons the form opened with (editing a debrief), which stay selectable even if retired since. */
  keptReasons: z.array(z.string().regex(REASON_VALUE_PATTERN)).max(100).optional(),
});
export type TDebriefMetadata = z.infer<typeof ZDebriefMetadata>;

/** private_metadata is ours, but it crosses Slack, so it is parsed like any other input. */
export function parseDebriefMetadata(raw: string | undefined): TDebriefMetadata | null {
  if (!raw) return null;
  try {
    const parsed = ZDebriefMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * `reasons` is the workspace's catalog and the reasons the form opened with: a reason retired or
 * unknown since the modal opened is refused on its field, not stored.
 */
export function parseDebriefSubmission(
  values: TViewStateValues,
  today: string,
  reasons: { catalog: TReasonCatalog; kept?: readonly string[] } = { catalog: DEFAULT_REASON_CATALOG },
): TParseResult<TDebriefAnswers, TDebriefField> {
  const ZReason = ZLossReason.refine((value) => isSelectableReason(reasons.catalog, value, reasons.kept));
  const primary = ZReason.safeParse(selectedValue(values, DEBRIEF_INPUTS.primaryReason));
  const secondary = z.array(ZReason).safeParse(selectedValues(values, DEBRIEF_INPUTS.secondaryReasons));
  const outcome = ZOutcome.safeParse(selectedValue(values, DEBRIEF_INPUTS.outcome));
  const rawPrice = selectedValue(values, DEBRIEF_INPUTS.priceToValue);
  const price = rawPrice === null ? null : ZPriceToValue.safeParse(rawPrice);
  const rawRevisit = inputState(values, DEBRIEF_INPUTS.revisitOn)?.selected_date ?? null;
  const revisit = rawRevisit === null ? null : z.iso.date().safeParse(rawRevisit);

  const errors: Partial<Record<TDebriefField, string>> = {};
  if (!primary.success) errors.primaryReason = 'Choose the reason that decided it from the list (it may have changed since you opened this form).';
  if (!secondary.success) errors.secondaryReasons = 'Choose reasons from the list (a reason may have been retired since you opened this form).';
  if (!outcome.success) errors.outcome = 'Say where the buyer went, or choose "We don\'t know yet".';
  if (price && !price.success) errors.priceToValue = 'Choose one of the options.';
  if (revisit && !revisit.success) errors.revisitOn = 'Pick a date from the calendar.';
  if (!primary.success || !secondary.success || !outcome.success || (price && !price.success) || (revisit && !revisit.success)) {
    return { ok: false, errors };
  }

  const answers: TDebriefAnswers = {
    primaryReason: primary.data,
    secondaryReasons: secondary.data,
    outcome: outcome.data,
    winnerName: textValue(values, DEBRIEF_INPUTS.winnerName),
    whyWinnerWon: textValue(values, DEBRIEF_INPUTS.whyWinnerWon),
    priceToValue: price ? price.data : null,
    buyerWords: textValue(values, DEBRIEF_INPUTS.buyerWords),
    wentWell: textValue(values, DEBRIEF_INPUTS.wentWell),
    wentWrong: textValue(values, DEBRIEF_INPUTS.wentWrong),
    featureGaps: textValue(values, DEBRIEF_INPUTS.featureGaps),
    revisitOn: revisit ? revisit.data : null,
    anonymous: selectedValues(values, DEBRIEF_INPUTS.anonymous).includes(ANONYMOUS_OPTION_VALUE),
  };
  const problems = validateDebrief(answers, today);
  return Object.keys(problems).length > 0 ? { ok: false, errors: problems } : { ok: true, value: answers };
}
