import {
  parseSalesforceFlowCallout,
  parseSalesforceOutboundMessage,
  salesforceAck,
  type TSalesforceFlowOptions,
} from '../../../src/crm/salesforce';
import { IntakeError, type TIntakeResult } from '../../../src/crm/types';
import { fixture, fixtureObject, messageOf, thrown } from './fixtures';

const ORG_18 = '00D5g000004ZkPbEAK';
const ORG_15 = '00D5g000004ZkPb';
const NOW = new Date('2025-11-20T15:00:00Z');

const message = fixture('salesforce-outbound-message.xml');

/** Replaces the fixture's notifications with the given ones. */
function withNotifications(...sObjects: string[]): string {
  const start = message.indexOf('<Notification>');
  const end = message.lastIndexOf('</Notification>') + '</Notification>'.length;
  const notifications = sObjects
    .map(
      (fields, i) =>
        `<Notification><Id>04l5g00000HqLk${i}AAV</Id><sObject xsi:type="sf:Opportunity" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${fields}</sObject></Notification>`,
    )
    .join('');
  return message.slice(0, start) + notifications + message.slice(end);
}

function lostDeals(results: TIntakeResult[]) {
  const lost = results.find((r) => r.kind === 'lost');
  return lost?.kind === 'lost' ? lost.deals : [];
}

describe('parseSalesforceOutboundMessage', () => {
  it('reads the documented message: one loss and one reopen candidate, each timed by LastModifiedDate', () => {
    const results = parseSalesforceOutboundMessage(message, { orgId: ORG_18 });
    const expectedTimes = {
      '0065g00000XyZ12AAB': new Date('2025-11-20T14:03:11.000Z'),
      '0065g00000XyZ34AAB': new Date('2025-11-20T14:05:40.000Z'),
    };
    expect(results).toEqual([
      {
        kind: 'lost',
        deals: [
          {
            source: 'salesforce',
            externalId: '0065g00000XyZ12AAB',
            name: 'Northwind & Co – platform renewal',
            amount: '48000.0',
            currency: 'EUR',
            owner: { email: 'dana.reyes@northwind.example', name: 'Dana Reyes' },
            competitor: 'Globex',
            lossReason: 'Price',
            crmUrl: 'https://northwind.my.salesforce.com/lightning/r/Opportunity/0065g00000XyZ12AAB/view',
            lostAt: new Date('2025-11-20T14:03:11.000Z'),
          },
        ],
        occurredAt: expectedTimes,
      },
      { kind: 'reopened', source: 'salesforce', externalIds: ['0065g00000XyZ34AAB'], occurredAt: expectedTimes },
    ]);
  });

  it('accepts the 15-character org id and a Buffer body', () => {
    expect(lostDeals(parseSalesforceOutboundMessage(Buffer.from(message), { orgId: ORG_15 }))).toHaveLength(1);
  });

  it.each([
    ['another org', '00D000000000001EAA'],
    ['a case-changed id (15-character ids are case-sensitive)', '00d5g000004zkpbEAK'],
  ])('rejects %s with 401', (_label, orgId) => {
    const error = thrown(() => parseSalesforceOutboundMessage(message, { orgId }));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 401, message: 'OrganizationId does not match SALESFORCE_ORG_ID' });
  });

  it('treats a misconfigured org id as a server error, not a bad request', () => {
    const error = thrown(() => parseSalesforceOutboundMessage(message, { orgId: 'acme' }));
    expect(error).not.toBeInstanceOf(IntakeError);
  });

  it.each([
    ['truncated XML', message.slice(0, 400), 'not well-formed'],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]>${message.replace(/^<\?xml[^>]*>/, '')}`, 'DOCTYPE'],
    ['XML that is not an Outbound Message', '<foo><bar>1</bar></foo>', 'Envelope'],
    ['a message without OrganizationId', message.replace(/<OrganizationId>.*<\/OrganizationId>/, ''), 'OrganizationId'],
    ['a message without notifications', withNotifications(), 'Notification'],
  ])('rejects %s with 400', (_label, xml, text) => {
    const error = thrown(() => parseSalesforceOutboundMessage(xml, { orgId: ORG_18 }));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 400 });
    expect(messageOf(error)).toContain(text);
  });

  it('handles a single notification', () => {
    const xml = withNotifications(
      '<sf:Id>0065g00000XyZ56AAB</sf:Id><sf:Name>Solo</sf:Name><sf:IsClosed>true</sf:IsClosed><sf:IsWon>false</sf:IsWon><sf:StageName>Closed Lost</sf:StageName>',
    );
    expect(lostDeals(parseSalesforceOutboundMessage(xml, { orgId: ORG_18, now: NOW }))).toMatchObject([
      { externalId: '0065g00000XyZ56AAB', name: 'Solo', amount: null, owner: {}, lostAt: NOW },
    ]);
  });

  it('counts a configured lost stage as lost even without IsClosed', () => {
    const xml = withNotifications('<sf:Id>0065g00000XyZ56AAB</sf:Id><sf:Name>A</sf:Name><sf:StageName>Disqualified</sf:StageName><sf:CloseDate>2025-11-19</sf:CloseDate>');
    const results = parseSalesforceOutboundMessage(xml, { orgId: ORG_18, lostStageNames: ['Closed Lost', 'Disqualified'], now: NOW });
    expect(lostDeals(results)).toMatchObject([{ externalId: '0065g00000XyZ56AAB', lostAt: new Date('2025-11-19T00:00:00Z') }]);
  });

  it('does not date a loss by a close date still in the future', () => {
    const xml = withNotifications('<sf:Id>0065g00000XyZ56AAB</sf:Id><sf:IsClosed>true</sf:IsClosed><sf:IsWon>false</sf:IsWon><sf:CloseDate>2025-12-31</sf:CloseDate>');
    expect(lostDeals(parseSalesforceOutboundMessage(xml, { orgId: ORG_18, now: NOW }))[0]?.lostAt).toEqual(NOW);
  });

  it('reports a won opportunity as a reopen candidate (it may have been lost before)', () => {
    const xml = withNotifications('<sf:Id>0065g00000XyZ56AAB</sf:Id><sf:IsClosed>true</sf:IsClosed><sf:IsWon>true</sf:IsWon><sf:StageName>Closed Won</sf:StageName>');
    expect(parseSalesforceOutboundMessage(xml, { orgId: ORG_18 })).toEqual([
      { kind: 'reopened', source: 'salesforce', externalIds: ['0065g00000XyZ56AAB'] },
    ]);
  });

  it('ignores notifications for other objects or without stage fields', () => {
    const account = message.replace(/sf:Opportunity/g, 'sf:Account');
    expect(parseSalesforceOutboundMessage(account, { orgId: ORG_18 })).toEqual([
      { kind: 'ignored', reason: 'no Opportunity notification with a StageName or IsClosed field (2 skipped)' },
    ]);
    const bare = withNotifications('<sf:Id>0065g00000XyZ56AAB</sf:Id><sf:Name>A</sf:Name>');
    expect(parseSalesforceOutboundMessage(bare, { orgId: ORG_18 })[0]?.kind).toBe('ignored');
  });

  it('reads nil fields as null and honours custom field names', () => {
    const xml = withNotifications(
      '<sf:Id>0065g00000XyZ56AAB</sf:Id><sf:Name>A</sf:Name><sf:IsClosed>true</sf:IsClosed><sf:IsWon>false</sf:IsWon>' +
        '<sf:Amount xsi:nil="true"/><sf:Rival__c>Initech</sf:Rival__c><sf:Loss_Reason__c xsi:nil="true"/>',
    );
    const [deal] = lostDeals(parseSalesforceOutboundMessage(xml, { orgId: ORG_18, fields: { competitor: 'Rival__c' } }));
    expect(deal).toMatchObject({ amount: null, competitor: 'Initech', lossReason: null });
  });

  it('links to the configured instance, and never to a host that is not Salesforce', () => {
    const configured = parseSalesforceOutboundMessage(message, { orgId: ORG_18, instanceUrl: 'https://northwind.lightning.force.com/' });
    expect(lostDeals(configured)[0]?.crmUrl).toBe('https://northwind.lightning.force.com/lightning/r/Opportunity/0065g00000XyZ12AAB/view');

    const spoofed = message.replace(/https:\/\/northwind\.my\.salesforce\.com/g, 'https://login.evil.example');
    expect(lostDeals(parseSalesforceOutboundMessage(spoofed, { orgId: ORG_18 }))[0]?.crmUrl).toBeNull();
  });
});

describe('salesforceAck', () => {
  it('is the exact SOAP acknowledgement Salesforce expects', () => {
    expect(salesforceAck()).toBe(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>',
    );
    expect(salesforceAck(false)).toContain('<Ack>false</Ack>');
  });
});

describe('parseSalesforceFlowCallout', () => {
  const SECRET = 'sf-flow-secret-5d1e';
  const body = fixture('salesforce-flow-callout.json');
  const options: TSalesforceFlowOptions = { secret: SECRET, now: NOW };
  const headers = { 'x-debrief-secret': SECRET, 'content-type': 'application/json' };
  const withBody = (changes: Record<string, unknown>) => JSON.stringify({ ...fixtureObject('salesforce-flow-callout.json'), ...changes });

  it('turns the documented callout into a lost deal', () => {
    expect(parseSalesforceFlowCallout(body, headers, options)).toEqual({
      kind: 'lost',
      deals: [
        {
          source: 'salesforce',
          externalId: '0065g00000XyZ12AAB',
          name: 'Northwind & Co – platform renewal',
          amount: '48000',
          currency: 'EUR',
          owner: { email: 'dana.reyes@northwind.example', name: 'Dana Reyes' },
          competitor: 'Globex',
          lossReason: 'Price',
          crmUrl: 'https://northwind.lightning.force.com/lightning/r/Opportunity/0065g00000XyZ12AAB/view',
          lostAt: NOW,
        },
      ],
    });
  });

  it('accepts fetch Headers and any header case', () => {
    expect(parseSalesforceFlowCallout(body, new Headers({ 'X-Debrief-Secret': SECRET }), options).kind).toBe('lost');
    expect(parseSalesforceFlowCallout(body, { 'X-DEBRIEF-SECRET': SECRET }, options).kind).toBe('lost');
  });

  it.each([
    ['a missing header', {}, 'missing X-Debrief-Secret header'],
    ['a wrong secret', { 'x-debrief-secret': 'guess' }, 'X-Debrief-Secret does not match SALESFORCE_FLOW_SECRET'],
  ])('rejects %s with 401 before reading the body', (_label, badHeaders, text) => {
    const error = thrown(() => parseSalesforceFlowCallout('{not json', badHeaders, options));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 401, message: text });
    expect(messageOf(error)).not.toContain(SECRET);
  });

  it('refuses to authenticate against an empty secret', () => {
    expect(thrown(() => parseSalesforceFlowCallout(body, { 'x-debrief-secret': '' }, { secret: '' }))).not.toBeInstanceOf(IntakeError);
  });

  it.each([
    ['malformed JSON', '{"opportunityId":', 'not valid JSON'],
    ['a bad opportunity id', withBody({ opportunityId: 'abc' }), 'opportunityId'],
    ['a missing name', withBody({ name: undefined }), 'name'],
  ])('rejects %s with 400', (_label, raw, text) => {
    const error = thrown(() => parseSalesforceFlowCallout(raw, headers, options));
    expect(error).toMatchObject({ status: 400 });
    expect(messageOf(error)).toContain(text);
  });

  it('reports a move out of a lost stage as reopened', () => {
    const raw = withBody({ stageName: 'Negotiation/Review', priorStageName: 'Closed Lost', isClosed: false });
    expect(parseSalesforceFlowCallout(raw, headers, options)).toEqual({
      kind: 'reopened',
      source: 'salesforce',
      externalIds: ['0065g00000XyZ12AAB'],
    });
  });

  it('ignores a stage change between open stages and a loss it already knows', () => {
    const open = withBody({ stageName: 'Proposal', priorStageName: 'Qualification', isClosed: 'false', isWon: 'false' });
    expect(parseSalesforceFlowCallout(open, headers, options).kind).toBe('ignored');
    const again = withBody({ priorStageName: 'Closed Lost' });
    expect(parseSalesforceFlowCallout(again, headers, options)).toEqual({ kind: 'ignored', reason: 'the opportunity was already lost' });
  });

  it('treats a non-lost update without a prior stage as a reopen candidate', () => {
    const raw = withBody({ stageName: 'Closed Won', priorStageName: null, isWon: true });
    expect(parseSalesforceFlowCallout(raw, headers, options).kind).toBe('reopened');
  });

  it('ignores a callout without stage information', () => {
    const raw = withBody({ stageName: null, isClosed: null, isWon: null });
    expect(parseSalesforceFlowCallout(raw, headers, options).kind).toBe('ignored');
  });

  it('builds the record link from the instance URL when the Flow sends none', () => {
    const raw = withBody({ recordUrl: null, lostAt: '2025-11-20T14:03:11Z' });
    const result = parseSalesforceFlowCallout(raw, headers, { ...options, instanceUrl: 'https://northwind.my.salesforce.com' });
    expect(result).toMatchObject({
      kind: 'lost',
      deals: [{ crmUrl: 'https://northwind.my.salesforce.com/lightning/r/Opportunity/0065g00000XyZ12AAB/view', lostAt: new Date('2025-11-20T14:03:11Z') }],
    });
  });
});
