import { assertBodySize, buildLostDeal, normaliseAmount, normaliseCurrency, parseCrmDate } from '../../../src/crm/normalise';
import { IntakeError } from '../../../src/crm/types';
import { thrown } from './fixtures';

describe('normaliseAmount', () => {
  it.each([
    ['12500', '12500'],
    [' 12500.5 ', '12500.5'],
    [12500, '12500'],
    [1999.5, '1999.5'],
    [0.1 + 0.2, '0.30'],
    ['48000.0', '48000.0'],
    ['1234.5678', '1234.57'],
    ['1.25E5', '125000'],
    [0, '0'],
  ])('%p becomes %p', (input, expected) => {
    expect(normaliseAmount(input)).toBe(expected);
  });

  it.each([null, undefined, '', '-5', -5, 'abc', '1,234.00', Number.NaN, 1e15, {}])('%p becomes null', (input) => {
    expect(normaliseAmount(input)).toBeNull();
  });
});

describe('normaliseCurrency', () => {
  it('upper-cases valid codes and drops anything else', () => {
    expect(normaliseCurrency(' eur ')).toBe('EUR');
    expect(normaliseCurrency('EURO')).toBeNull();
    expect(normaliseCurrency(null)).toBeNull();
  });
});

describe('parseCrmDate', () => {
  it.each([
    ['2025-11-20T10:15:01Z', '2025-11-20T10:15:01.000Z'],
    ['2025-11-20T12:15:01+02:00', '2025-11-20T10:15:01.000Z'],
    ['2025-11-20 10:15:01', '2025-11-20T10:15:01.000Z'],
    ['2025-11-30', '2025-11-30T00:00:00.000Z'],
    [1763633701000, '2025-11-20T10:15:01.000Z'],
    ['1763633701000', '2025-11-20T10:15:01.000Z'],
  ])('%p is %p', (input, expected) => {
    expect(parseCrmDate(input)?.toISOString()).toBe(expected);
  });

  it.each(['', 'yesterday', '20/11/2025', null, '2025-13-45'])('%p is not a date', (input) => {
    expect(parseCrmDate(input)).toBeNull();
  });
});

describe('buildLostDeal', () => {
  const base = {
    source: 'generic' as const,
    externalId: 'D1',
    name: 'Deal',
    amount: '10',
    currency: 'usd',
    lostAt: new Date('2025-11-20T00:00:00Z'),
  };

  it('drops fields that do not validate instead of rejecting the loss', () => {
    const deal = buildLostDeal({ ...base, ownerEmail: 'not-an-email', crmUrl: 'javascript:alert(1)', currency: 'dollars' });
    expect(deal.owner).toEqual({});
    expect(deal.crmUrl).toBeNull();
    expect(deal.currency).toBeNull();
  });

  it('names an unnamed deal after its id and shortens over-long text', () => {
    const deal = buildLostDeal({ ...base, name: '  ', lossReason: 'x'.repeat(3000) });
    expect(deal.name).toBe('CRM deal D1');
    expect(deal.lossReason).toHaveLength(2000);
  });

  it('rejects a deal without an id', () => {
    expect(thrown(() => buildLostDeal({ ...base, externalId: '' }))).toMatchObject({ status: 400 });
  });
});

describe('assertBodySize', () => {
  it('rejects oversized bodies with 413', () => {
    const error = thrown(() => assertBodySize('x'.repeat(11), 10));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 413 });
    expect(() => assertBodySize(Buffer.alloc(10), 10)).not.toThrow();
  });
});
