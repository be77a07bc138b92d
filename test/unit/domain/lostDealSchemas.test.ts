import { ZAmount, ZCurrencyCode, ZDealOwner, ZDealSource, ZLostDeal, type TLostDeal } from '../../../src/domain/lostDeal';

function validDeal(): Record<string, unknown> {
  return {
    source: 'hubspot',
    externalId: ' 9876 ',
    name: '  Acme renewal  ',
    amount: 12500.5,
    currency: ' eur ',
    owner: { email: 'rep@example.com', name: ' Rita Rep ' },
    competitor: ' Globex ',
    lossReason: 'Price',
    crmUrl: 'https://app.hubspot.com/contacts/1/deal/9876',
    lostAt: new Date('2026-11-20T10:00:00Z'),
  };
}

/** The paths of the issues a parse reports, e.g. ['owner.email']. */
function issuePaths(input: unknown): string[] {
  const parsed = ZLostDeal.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
}

describe('ZLostDeal', () => {
  it('trims and normalises every field', () => {
    const deal: TLostDeal = ZLostDeal.parse(validDeal());
    expect(deal).toEqual({
      source: 'hubspot',
      externalId: '9876',
      name: 'Acme renewal',
      amount: '12500.5',
      currency: 'EUR',
      owner: { email: 'rep@example.com', name: 'Rita Rep' },
      competitor: 'Globex',
      lossReason: 'Price',
      crmUrl: 'https://app.hubspot.com/contacts/1/deal/9876',
      lostAt: new Date('2026-11-20T10:00:00Z'),
    });
  });

  it('accepts null for every optional fact', () => {
    const deal = ZLostDeal.parse({ ...validDeal(), amount: null, currency: null, competitor: null, lossReason: null, crmUrl: null });
    expect([deal.amount, deal.currency, deal.competitor, deal.lossReason, deal.crmUrl]).toEqual([null, null, null, null, null]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown source', { source: 'zoho' }, 'source'],
    ['an empty external id', { externalId: '   ' }, 'externalId'],
    ['an empty name', { name: ' ' }, 'name'],
    ['a name over 255 characters', { name: 'x'.repeat(256) }, 'name'],
    ['a negative amount', { amount: '-1' }, 'amount'],
    ['a three-decimal amount', { amount: '1.234' }, 'amount'],
    ['a lowercase non-code currency', { currency: 'dollars' }, 'currency'],
    ['an empty competitor', { competitor: '' }, 'competitor'],
    ['a loss reason over 2000 characters', { lossReason: 'x'.repeat(2001) }, 'lossReason'],
    ['a javascript: CRM link', { crmUrl: 'javascript:alert(1)' }, 'crmUrl'],
    ['an ftp CRM link', { crmUrl: 'ftp://crm.example.com/1' }, 'crmUrl'],
    ['a CRM link over 2000 characters', { crmUrl: `https://crm.example.com/${'x'.repeat(2000)}` }, 'crmUrl'],
    ['an invalid date', { lostAt: new Date('not a date') }, 'lostAt'],
    ['a date as text', { lostAt: '2026-11-20' }, 'lostAt'],
    ['a malformed owner e-mail', { owner: { email: 'not-an-email' } }, 'owner.email'],
    ['a channel id as the owner', { owner: { slackUserId: 'C0123' } }, 'owner.slackUserId'],
  ])('rejects %s, on that field', (_case, override, path) => {
    expect(issuePaths({ ...validDeal(), ...override })).toEqual([path]);
  });

  it('requires every key, so an adapter cannot forget one', () => {
    for (const key of ['source', 'externalId', 'name', 'amount', 'currency', 'owner', 'competitor', 'lossReason', 'crmUrl', 'lostAt']) {
      const deal = validDeal();
      delete deal[key];
      expect(issuePaths(deal)).toEqual([key]);
    }
  });
});

describe('ZAmount', () => {
  it.each([
    ['48000', '48000'],
    [' 48000.50 ', '48000.50'],
    [48000.5, '48000.5'],
    [0, '0'],
    ['99999999999999.99', '99999999999999.99'],
  ])('accepts %p as %p', (input, output) => {
    expect(ZAmount.parse(input)).toBe(output);
  });

  it.each(['-1', '1.234', 'abc', '', '48,000', '1e5', '999999999999999', '.5', '5.', 1e21])('rejects %p', (input) => {
    const parsed = ZAmount.safeParse(input);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues[0]?.message).toBe('must be a non-negative amount with at most two decimals');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, null, true])('rejects the non-amount %p', (input) => {
    expect(ZAmount.safeParse(input).success).toBe(false);
  });
});

describe('ZCurrencyCode', () => {
  it('upper-cases and trims a code', () => {
    expect(ZCurrencyCode.parse(' jpy ')).toBe('JPY');
  });

  it.each(['US', 'USDT', 'U$D', '', '123'])('rejects %p with the reason', (code) => {
    const parsed = ZCurrencyCode.safeParse(code);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(parsed.error.issues[0]?.message).toBe('must be a three-letter ISO 4217 code');
  });
});

describe('ZDealOwner', () => {
  it('accepts U and W user ids, and an owner known only by e-mail', () => {
    expect(ZDealOwner.parse({ slackUserId: 'U0REP0001' })).toEqual({ slackUserId: 'U0REP0001' });
    expect(ZDealOwner.parse({ slackUserId: 'W0ENT0001' })).toEqual({ slackUserId: 'W0ENT0001' });
    expect(ZDealOwner.parse({ email: 'rep@example.com' })).toEqual({ email: 'rep@example.com' });
  });

  it('rejects a blank name and a lowercase id', () => {
    expect(ZDealOwner.safeParse({ name: '   ' }).success).toBe(false);
    expect(ZDealOwner.safeParse({ slackUserId: 'u0rep0001' }).success).toBe(false);
  });
});

describe('ZDealSource', () => {
  it('knows the manual path and each CRM', () => {
    expect(ZDealSource.options).toEqual(['manual', 'hubspot', 'salesforce', 'pipedrive', 'generic']);
  });
});
