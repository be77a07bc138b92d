import { COMMON_CURRENCIES, formatMoney } from '../../../src/lib/money';

describe('formatMoney', () => {
  it('says when no amount was given, whatever the currency', () => {
    expect(formatMoney(null, 'USD')).toBe('Not given');
    expect(formatMoney(null, null)).toBe('Not given');
  });

  it('formats common currencies with their symbol and minor units', () => {
    expect(formatMoney('48000', 'USD')).toBe('$48,000.00');
    expect(formatMoney('12500.5', 'USD')).toBe('$12,500.50');
    expect(formatMoney('12500.50', 'EUR')).toBe('€12,500.50');
    expect(formatMoney('0', 'GBP')).toBe('£0.00');
  });

  it('formats JPY without minor units', () => {
    expect(formatMoney('48000', 'JPY')).toBe('¥48,000');
    expect(formatMoney('1250000', 'JPY')).toBe('¥1,250,000');
    expect(formatMoney('12500.40', 'JPY')).toBe('¥12,500');
  });

  it('shows the code for a well-formed code Intl has no symbol for', () => {
    expect(formatMoney('12500', 'XYZ')).toBe('XYZ\u00a012,500.00');
  });

  it('still shows the number and the code when Intl rejects the code', () => {
    expect(formatMoney('12500.5', 'US$')).toBe('12,500.5 US$');
    expect(formatMoney('12500', 'EURO')).toBe('12,500 EURO');
  });

  it('shows a bare number when the currency is unknown', () => {
    expect(formatMoney('12500.5', null)).toBe('12,500.5');
    expect(formatMoney('12500.555', null)).toBe('12,500.56');
  });

  it('never rounds the largest amount the schema accepts through a float', () => {
    // ZAmount allows 14 integer digits and 2 decimals; as a double 99999999999999.99 is …99.98.
    expect(formatMoney('99999999999999.99', 'USD')).toBe('$99,999,999,999,999.99');
    expect(formatMoney('99999999999999.99', null)).toBe('99,999,999,999,999.99');
    expect(formatMoney('99999999999999.99', 'US$')).toBe('99,999,999,999,999.99 US$');
  });

  it('follows the locale it is given', () => {
    expect(formatMoney('12500.5', 'EUR', 'de-DE')).toBe('12.500,50\u00a0€');
  });

  it('offers each common currency once, every one a code Intl knows', () => {
    expect(new Set(COMMON_CURRENCIES).size).toBe(COMMON_CURRENCIES.length);
    for (const code of COMMON_CURRENCIES) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      // The fallback path would print "1 CODE"; Intl's own output for these never does.
      expect(formatMoney('1', code)).not.toBe(`1 ${code}`);
    }
  });
});
