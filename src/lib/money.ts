// Amounts travel as decimal strings ("12500.50") so no float ever rounds money.

/** Intl formats a decimal string exactly; Number() would turn 99999999999999.99 into …99.98. */
function exactly(amount: string): Intl.StringNumericLiteral | number {
  const trimmed = amount.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? (trimmed as Intl.StringNumericLiteral) : Number(trimmed);
}

// Building an Intl.NumberFormat costs far more than formatting with one (it showed in profiles of
// every retro message), so each (locale, currency) is built once. Only well-formed codes get here
// without throwing, so the cache is bounded by the codes that exist.
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, currency: string | null): Intl.NumberFormat {
  const key = `${locale}|${currency ?? ''}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = currency === null ? new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }) : new Intl.NumberFormat(locale, { style: 'currency', currency });
    numberFormats.set(key, format);
  }
  return format;
}

export function formatMoney(amount: string | null, currency: string | null, locale = 'en-US'): string {
  if (amount === null) return 'Not given';
  const plainNumber = () => numberFormat(locale, null).format(exactly(amount));
  if (currency === null) return plainNumber();
  try {
    return numberFormat(locale, currency).format(exactly(amount));
  } catch {
    // A code Intl rejects as malformed still shows the number and the code.
    return `${plainNumber()} ${currency}`;
  }
}

export const COMMON_CURRENCIES = [
  'USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'JPY', 'SGD', 'HKD', 'INR', 'BRL', 'MXN', 'ZAR', 'AED', 'ILS',
] as const;
