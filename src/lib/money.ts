// Amounts travel as decimal strings ("12500.50") so no float ever rounds money.

export function formatMoney(amount: string | null, currency: string | null, locale = 'en-US'): string {
  if (amount === null) return 'Not given';
  if (currency === null) return Number(amount).toLocaleString(locale, { maximumFractionDigits: 2 });
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(Number(amount));
  } catch {
    // An ISO code Intl does not know still shows the number and the code.
    return `${Number(amount).toLocaleString(locale, { maximumFractionDigits: 2 })} ${currency}`;
  }
}

export const COMMON_CURRENCIES = [
  'USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'JPY', 'SGD', 'HKD', 'INR', 'BRL', 'MXN', 'ZAR', 'AED', 'ILS',
] as const;
