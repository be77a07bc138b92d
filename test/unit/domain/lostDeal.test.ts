import { ZAmount, ZCurrencyCode, ZLostDeal } from '../../../src/domain/lostDeal';

describe('ZLostDeal', () => {
  const valid = {
    source: 'manual',
    externalId: 'V123',
    name: 'Acme renewal',
    amount: '12500',
    currency: 'usd',
    owner: { slackUserId: 'U123ABC' },
    competitor: 'Globex',
    lossReason: null,
    crmUrl: 'https://crm.example.com/deals/1',
    lostAt: new Date('2026-11-20T10:00:00Z'),
  };

  it('normalises currency and amount', () => {
    const deal = ZLostDeal.parse(valid);
    expect(deal.currency).toBe('USD');
    expect(deal.amount).toBe('12500');
  });

  it('rejects a javascript: CRM link', () => {
    expect(ZLostDeal.safeParse({ ...valid, crmUrl: 'javascript:alert(1)' }).success).toBe(false);
  });

  it.each(['-1', '1.234', 'abc', ''])('rejects the amount %p', (amount) => {
    expect(ZAmount.safeParse(amount).success).toBe(false);
  });

  it('rejects a four-letter currency', () => {
    expect(ZCurrencyCode.safeParse('USDT').success).toBe(false);
  });
});
