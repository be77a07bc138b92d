// Money is added in whole cents as BigInt, from the decimal strings the repositories return, so a
// week of large deals never picks up a floating-point rounding error. Currencies are never mixed.

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

export function toCents(amount: string): bigint | null {
  const match = DECIMAL.exec(amount.trim());
  if (!match) return null;
  const cents = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const absolute = cents < 0n ? -cents : cents;
  return `${sign}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
}

/** Rounds half away from zero, like a person would. */
export function divideCents(cents: bigint, divisor: number): bigint {
  const by = BigInt(divisor);
  const doubled = (cents * 2n) / by;
  return doubled >= 0n ? (doubled + 1n) / 2n : (doubled - 1n) / 2n;
}

/** Total per currency (upper-case code), in the order the currencies first appear. */
export function totalsByCurrency(amounts: Array<{ amount: string | null; currency: string | null }>): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const { amount, currency } of amounts) {
    if (amount === null || currency === null) continue;
    const cents = toCents(amount);
    if (cents === null) continue;
    const code = currency.trim().toUpperCase();
    totals.set(code, (totals.get(code) ?? 0n) + cents);
  }
  return totals;
}

/** Percentage change from `before` to `now`, rounded; null when there is nothing to compare with. */
export function percentChange(now: number, before: number): number | null {
  if (before === 0) return null;
  return Math.round(((now - before) / before) * 100);
}
