import { z } from 'zod';
import { ZAmount, ZCurrencyCode } from '../../domain/lostDeal';
import { LOG_INPUTS } from '../ids';
import { selectedValue, textValue, inputState, type TViewStateValues } from './viewState';

export interface TLogLostDealInput {
  dealName: string;
  amount: string | null;
  currency: string;
  ownerSlackUserId: string;
  competitor: string | null;
  crmUrl: string | null;
  /** YYYY-MM-DD */
  lostOn: string;
}

type TLogField = keyof typeof LOG_INPUTS;
export type TParseResult<T, F extends string> = { ok: true; value: T } | { ok: false, errors: Partial<Record<F, string>> };

/** The longest link a deal keeps (ZLostDeal); Slack's URL input itself has no limit. */
const MAX_CRM_URL = 2000;
const ZHttpUrl = z.url({ protocol: /^https?$/ });
const ZIsoDate = z.iso.date();

/** Reads the "Log a lost deal" submission; errors name the field and say how to fix it. */
export function parseLogLostDealSubmission(values: TViewStateValues, today: string): TParseResult<TLogLostDealInput, TLogField> {
  const errors: Partial<Record<TLogField, string>> = {};

  const dealName = textValue(values, LOG_INPUTS.dealName);
  if (!dealName) errors.dealName = 'Give the deal a name so the team can find it later.';
  else if (dealName.length > 200) errors.dealName = 'Keep the name under 200 characters.';

  const rawAmount = textValue(values, LOG_INPUTS.amount);
  const amount = rawAmount === null ? null : ZAmount.safeParse(rawAmount);
  if (amount && !amount.success) errors.amount = 'Enter the amount as a number, like 48000 or 48000.50.';

  const currency = ZCurrencyCode.safeParse(selectedValue(values, LOG_INPUTS.currency) ?? '');
  if (!currency.success) errors.currency = 'Choose a currency.';

  const ownerSlackUserId = inputState(values, LOG_INPUTS.owner)?.selected_user ?? null;
  if (!ownerSlackUserId) errors.owner = 'Choose who owned the deal: they are asked for the debrief.';

  const competitor = textValue(values, LOG_INPUTS.competitor);
  if (competitor && competitor.length > 120) errors.competitor = 'Keep the name under 120 characters.';

  const rawUrl = textValue(values, LOG_INPUTS.crmUrl);
  const crmUrl = rawUrl === null ? null : ZHttpUrl.safeParse(rawUrl);
  if (rawUrl !== null && rawUrl.length > MAX_CRM_URL) errors.crmUrl = `That address is longer than ${MAX_CRM_URL} characters: paste the record's plain address.`;
  else if (crmUrl && !crmUrl.success) errors.crmUrl = 'Paste the full address of the CRM record, starting with https://';

  const rawLostOn = inputState(values, LOG_INPUTS.lostOn)?.selected_date ?? null;
  const lostOn = ZIsoDate.safeParse(rawLostOn ?? '');
  if (!lostOn.success) errors.lostOn = 'Pick the day the deal was lost.';
  else if (lostOn.data > today) errors.lostOn = 'A deal cannot be lost in the future: pick today or an earlier day.';

  if (Object.keys(errors).length > 0 || !dealName || !currency.success || !ownerSlackUserId || !lostOn.success) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    value: {
      dealName,
      amount: amount?.success ? amount.data : null,
      currency: currency.data,
      ownerSlackUserId,
      competitor,
      crmUrl: crmUrl?.success ? crmUrl.data : null,
      lostOn: lostOn.data,
    },
  };
}
