import { canonicalExternalId, crmRecordFromUrl, salesforceId18, withCrmIdentity } from '../../../src/crm/recordUrl';

describe('salesforceId18', () => {
  it('appends the case checksum to a 15-character id', () => {
    // Worked by hand: "001A0" has an upper-case letter at position 3 (8 = I), "00000" none (A),
    // "6Vm9r" one at position 1 (2 = C).
    expect(salesforceId18('001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
  });

  it('tells ids apart that differ only in case, and leaves other lengths alone', () => {
    expect(salesforceId18('0065g00000XyZ12')).not.toBe(salesforceId18('0065G00000XYZ12'));
    expect(salesforceId18('0065g00000XyZ12AAB')).toBe('0065g00000XyZ12AAB');
    expect(salesforceId18('OPP-1')).toBe('OPP-1');
  });
});

describe('canonicalExternalId', () => {
  it('extends Salesforce ids only', () => {
    expect(canonicalExternalId('salesforce', '001A0000006Vm9r')).toBe('001A0000006Vm9rIAC');
    expect(canonicalExternalId('generic', '001A0000006Vm9r')).toBe('001A0000006Vm9r');
  });
});

describe('crmRecordFromUrl', () => {
  it.each([
    ['https://app.hubspot.com/contacts/62515/record/0-3/18385316571', { source: 'hubspot', externalId: '18385316571' }],
    ['https://app-eu1.hubspot.com/contacts/62515/record/0-3/18385316571/view/1', { source: 'hubspot', externalId: '18385316571' }],
    ['https://app.hubspot.com/contacts/62515/deal/18385316571/', { source: 'hubspot', externalId: '18385316571' }],
    ['https://northwind.pipedrive.com/deal/1045', { source: 'pipedrive', externalId: '1045' }],
    ['https://northwind.lightning.force.com/lightning/r/Opportunity/0065g00000XyZ12AAB/view', { source: 'salesforce', externalId: '0065g00000XyZ12AAB' }],
    ['https://northwind.my.salesforce.com/001A0000006Vm9r', null], // an account, not an opportunity
    ['https://northwind.my.salesforce.com/006A0000006Vm9r', { source: 'salesforce', externalId: salesforceId18('006A0000006Vm9r') }],
  ])('reads %s', (url, expected) => {
    expect(crmRecordFromUrl(url)).toEqual(expected);
  });

  it.each([
    'http://app.hubspot.com/contacts/62515/record/0-3/1', // not https
    'https://app.hubspot.com.evil.example/contacts/62515/record/0-3/1',
    'https://app.hubspot.com/contacts/62515/record/0-1/1', // a contact
    'https://evil.example/deal/1045',
    'https://crm.northwind.example/deals/OPP-2025-0415',
    'not a url',
  ])('ignores %s', (url) => {
    expect(crmRecordFromUrl(url)).toBeNull();
  });
});

describe('withCrmIdentity', () => {
  const deal = { source: 'manual' as const, externalId: 'slack-view:V0123', crmUrl: 'https://app.hubspot.com/contacts/62515/record/0-3/18385316571' };

  it('files a hand-logged or generic loss with a CRM link under that CRM’s deal', () => {
    expect(withCrmIdentity(deal)).toEqual({ ...deal, source: 'hubspot', externalId: '18385316571' });
    expect(withCrmIdentity({ ...deal, source: 'generic', externalId: 'OPP-1' })).toEqual({ ...deal, source: 'hubspot', externalId: '18385316571' });
  });

  it('keeps the identity of a loss without a CRM link, and of a CRM’s own report', () => {
    expect(withCrmIdentity({ ...deal, crmUrl: null })).toEqual({ ...deal, crmUrl: null });
    expect(withCrmIdentity({ ...deal, crmUrl: 'https://crm.northwind.example/deals/1' }).source).toBe('manual');
    const pipedrive = { source: 'pipedrive' as const, externalId: '7', crmUrl: 'https://app.hubspot.com/contacts/1/record/0-3/2' };
    expect(withCrmIdentity(pipedrive)).toBe(pipedrive);
  });

  it('stores Salesforce ids in their 18-character form', () => {
    expect(withCrmIdentity({ source: 'salesforce', externalId: '001A0000006Vm9r', crmUrl: null }).externalId).toBe('001A0000006Vm9rIAC');
  });
});
