import { createHmac } from 'node:crypto';
import {
  HubSpotApiError,
  createHubSpotClient,
  hubSpotDealToLostDeal,
  hubSpotSignatureUri,
  isHubSpotDealLost,
  parseHubSpotWebhookBatch,
  verifyHubSpotSignatureV3,
  ZHubSpotDeal,
  ZHubSpotOwner,
  type TVerifyHubSpotSignatureInput,
} from '../../../src/crm/hubspot';
import { IntakeError } from '../../../src/crm/types';
import { fixture, fixtureObject, messageOf, thrown } from './fixtures';

const SECRET = 'hs-client-secret-7f3a9c';
const NOW = new Date('2025-11-20T14:03:12.000Z');

describe('verifyHubSpotSignatureV3', () => {
  const body = fixture('hubspot-webhook-batch.json');
  const timestamp = String(NOW.getTime() - 1_000);
  // HubSpot signs the URI with %3A etc. decoded, which is what this test computes independently.
  const receivedUrl = 'https://debrief.example.com/webhooks/hubspot?tenant=acme%3Aeu&tag=%40sales';
  const signedUrl = 'https://debrief.example.com/webhooks/hubspot?tenant=acme:eu&tag=@sales';
  const signature = createHmac('sha256', SECRET).update(`POST${signedUrl}${body}${timestamp}`, 'utf8').digest('base64');

  const input = (overrides: Partial<TVerifyHubSpotSignatureInput> = {}): TVerifyHubSpotSignatureInput => ({
    clientSecret: SECRET,
    method: 'POST',
    url: receivedUrl,
    rawBody: body,
    signature,
    timestamp,
    now: NOW,
    ...overrides,
  });

  function rejection(overrides: Partial<TVerifyHubSpotSignatureInput>): IntakeError {
    const error = thrown(() => verifyHubSpotSignatureV3(input(overrides)));
    if (!(error instanceof IntakeError)) throw new Error(`expected an IntakeError, got ${messageOf(error)}`);
    return error;
  }

  it('accepts a valid signature, from a string or a Buffer body', () => {
    expect(() => verifyHubSpotSignatureV3(input())).not.toThrow();
    expect(() => verifyHubSpotSignatureV3(input({ rawBody: Buffer.from(body, 'utf8'), method: 'post' }))).not.toThrow();
  });

  it('rejects a signature made with another secret', () => {
    const error = rejection({ clientSecret: 'another-secret' });
    expect(error.status).toBe(401);
    expect(error.message).toContain('does not match');
    expect(error.message).not.toContain('another-secret');
  });

  it('rejects a tampered body', () => {
    expect(rejection({ rawBody: body.replace('closedlost', 'closedwon') }).status).toBe(401);
  });

  it('rejects a different URL or method', () => {
    expect(rejection({ url: 'https://debrief.example.com/webhooks/hubspot' }).status).toBe(401);
    expect(rejection({ method: 'PUT' }).status).toBe(401);
  });

  it('rejects a stale timestamp even with a correct signature', () => {
    const old = String(NOW.getTime() - 6 * 60 * 1000);
    const staleSignature = createHmac('sha256', SECRET).update(`POST${signedUrl}${body}${old}`).digest('base64');
    const error = rejection({ timestamp: old, signature: staleSignature });
    expect(error.status).toBe(401);
    expect(error.message).toContain('older than 5 minutes');
  });

  it('rejects a timestamp far in the future', () => {
    expect(rejection({ timestamp: String(NOW.getTime() + 10 * 60 * 1000) }).message).toContain('future');
  });

  it('names the missing header', () => {
    expect(rejection({ signature: undefined }).message).toBe('missing X-HubSpot-Signature-v3 header');
    expect(rejection({ timestamp: undefined }).message).toBe('missing X-HubSpot-Request-Timestamp header');
    expect(rejection({ timestamp: 'yesterday' }).message).toContain('not epoch milliseconds');
  });

  it('refuses to run without a configured secret', () => {
    const error = thrown(() => verifyHubSpotSignatureV3(input({ clientSecret: '' })));
    expect(error).not.toBeInstanceOf(IntakeError);
    expect(messageOf(error)).toBe('HUBSPOT_CLIENT_SECRET is not configured');
  });
});

describe('hubSpotSignatureUri', () => {
  it('decodes only the escapes HubSpot decodes', () => {
    expect(hubSpotSignatureUri('https://h/p?a=%3a%2F%3F%40%21%24%27%28%29%2A%2C%3B&b=%20%26%3D')).toBe(
      "https://h/p?a=:/?@!$'()*,;&b=%20%26%3D",
    );
  });
});

describe('parseHubSpotWebhookBatch', () => {
  const options = { lostStageIds: ['closedlost'] };

  it('splits the documented batch into lost and moved deals and skips other events', () => {
    const batch = parseHubSpotWebhookBatch(fixture('hubspot-webhook-batch.json'), options);
    expect(batch.portalId).toBe('62515');
    expect(batch.lostDealIds).toEqual(['18385316571']);
    expect(batch.reopenedDealIds).toEqual(['18385316990']);
    expect(batch.changes.find((c) => c.dealId === '18385316571')).toEqual({
      dealId: '18385316571',
      portalId: '62515',
      stageId: 'closedlost',
      occurredAt: new Date(1763647391529),
      eventId: '1772640390',
    });
  });

  it('uses the configured lost stages of custom pipelines', () => {
    const event = { portalId: 1, occurredAt: 1, subscriptionType: 'deal.propertyChange', objectId: 7, propertyName: 'dealstage', propertyValue: '1043279' };
    const batch = parseHubSpotWebhookBatch(JSON.stringify([event]), { lostStageIds: ['closedlost', '1043279'] });
    expect(batch.lostDealIds).toEqual(['7']);
  });

  it('keeps only the latest stage change of a deal', () => {
    const base = { portalId: 1, subscriptionType: 'deal.propertyChange', objectId: 7, propertyName: 'dealstage' };
    const events = [
      { ...base, occurredAt: 2000, propertyValue: 'appointmentscheduled' },
      { ...base, occurredAt: 1000, propertyValue: 'closedlost' },
    ];
    const batch = parseHubSpotWebhookBatch(JSON.stringify(events), options);
    expect(batch.lostDealIds).toEqual([]);
    expect(batch.reopenedDealIds).toEqual(['7']);
  });

  it('understands generic object events for deals (objectTypeId 0-3)', () => {
    const event = { portalId: 1, occurredAt: 1, subscriptionType: 'object.propertyChange', objectTypeId: '0-3', objectId: 9, propertyName: 'dealstage', propertyValue: 'closedlost' };
    const contact = { ...event, objectTypeId: '0-1', objectId: 10 };
    expect(parseHubSpotWebhookBatch(JSON.stringify([event, contact]), options).lostDealIds).toEqual(['9']);
  });

  it('returns nothing for an empty batch', () => {
    expect(parseHubSpotWebhookBatch('[]', options)).toEqual({ portalId: null, lostDealIds: [], reopenedDealIds: [], changes: [] });
  });

  it.each([
    ['not JSON', '{nope', 'not valid JSON'],
    ['an object instead of an array', '{"portalId":1}', 'malformed'],
    ['an event without a subscriptionType', '[{"objectId":1}]', 'subscriptionType'],
    [
      'a stage event without objectId',
      '[{"portalId":1,"occurredAt":1,"subscriptionType":"deal.propertyChange","propertyName":"dealstage","propertyValue":"closedlost"}]',
      'HubSpot event 0 payload is malformed: objectId',
    ],
  ])('rejects %s with 400', (_label, body, message) => {
    const error = thrown(() => parseHubSpotWebhookBatch(body, options));
    expect(error).toBeInstanceOf(IntakeError);
    expect(error).toMatchObject({ status: 400 });
    expect(messageOf(error)).toContain(message);
  });

  it('rejects an oversized body with 413', () => {
    expect(thrown(() => parseHubSpotWebhookBatch('[]'.padEnd(100, ' '), { ...options, maxBytes: 50 }))).toMatchObject({ status: 413 });
  });
});

// ---------------------------------------------------------------------------------------------

type TCall = { url: string; headers: Record<string, string> };

function fakeFetch(responses: (Response | Error)[]): { fetch: typeof globalThis.fetch; calls: TCall[] } {
  const calls: TCall[] = [];
  const queue = [...responses];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    calls.push({ url: String(input), headers: Object.fromEntries(new Headers(init?.headers).entries()) });
    const next = queue.shift();
    if (next === undefined) throw new Error('unexpected extra request');
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('createHubSpotClient', () => {
  const TOKEN = 'pat-eu1-11111111-2222-3333-4444-555555555555';
  const dealBody = fixtureObject('hubspot-deal.json');
  const ownerBody = fixtureObject('hubspot-owner.json');

  function client(responses: (Response | Error)[], retries = 3) {
    const { fetch, calls } = fakeFetch(responses);
    const sleeps: number[] = [];
    const hubspot = createHubSpotClient({
      accessToken: TOKEN,
      apiUrl: 'https://api.hubapi.test/',
      fetch,
      retries,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    return { hubspot, calls, sleeps };
  }

  it('fetches a deal with the properties Debrief needs and the bearer token', async () => {
    const { hubspot, calls } = client([json(200, dealBody)]);
    const deal = await hubspot.fetchDeal('18385316571', { competitorProperty: 'competitor_name' });
    expect(deal.properties.dealname).toBe('Northwind – platform renewal');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(
      'https://api.hubapi.test/crm/v3/objects/deals/18385316571?properties=dealname,amount,deal_currency_code,hubspot_owner_id,closed_lost_reason,closedate,dealstage,competitor_name',
    );
    expect(calls[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('retries a 429, honouring Retry-After, then succeeds', async () => {
    const { hubspot, calls, sleeps } = client([json(429, { status: 'error', message: 'rate limited' }, { 'retry-after': '2' }), json(200, dealBody)]);
    await expect(hubspot.fetchDeal('18385316571')).resolves.toMatchObject({ id: '18385316571' });
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('backs off exponentially on 5xx and network errors', async () => {
    const { hubspot, sleeps } = client([json(500, {}), new TypeError('fetch failed'), json(503, {}), json(200, dealBody)]);
    await hubspot.fetchDeal('18385316571');
    expect(sleeps).toEqual([1000, 2000, 4000]);
  });

  it('gives up after the configured retries with the last status', async () => {
    const { hubspot, calls } = client([json(502, {}), json(502, {}), json(502, {})], 2);
    const error = await hubspot.fetchDeal('1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubSpotApiError);
    expect(error).toMatchObject({ status: 502 });
    expect(calls).toHaveLength(3);
  });

  it('fails at once on other 4xx, with HubSpot’s reason and never the token', async () => {
    const { hubspot, calls, sleeps } = client([
      json(404, { status: 'error', message: 'Object not found. objectId are usually numeric.', correlationId: 'c0ffee', category: 'OBJECT_NOT_FOUND' }),
    ]);
    const error = await hubspot.fetchDeal('42').catch((e: unknown) => e);
    if (!(error instanceof HubSpotApiError)) throw new Error('expected a HubSpotApiError');
    expect(error.status).toBe(404);
    expect(error.message).toContain('/crm/v3/objects/deals/42');
    expect(error.message).toContain('OBJECT_NOT_FOUND');
    expect(error.message).toContain('c0ffee');
    expect(error.message).not.toContain(TOKEN);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('points at the token on 401', async () => {
    const { hubspot } = client([json(401, { status: 'error', message: 'Authentication credentials not found.' })]);
    await expect(hubspot.fetchDeal('1')).rejects.toThrow('check HUBSPOT_ACCESS_TOKEN');
  });

  it('rejects a response of the wrong shape', async () => {
    const { hubspot } = client([json(200, { results: [] })]);
    await expect(hubspot.fetchDeal('1')).rejects.toThrow('unexpected shape');
  });

  it('refuses ids and property names that would change the request path', async () => {
    const { hubspot, calls } = client([]);
    await expect(hubspot.fetchDeal('1/../../owners')).rejects.toThrow('numeric');
    await expect(hubspot.fetchDeal('1', { competitorProperty: 'x&archived=true' })).rejects.toThrow('internal name');
    await expect(hubspot.fetchOwner('me')).rejects.toThrow('numeric');
    expect(calls).toHaveLength(0);
  });

  it('fetches an owner, and returns null for an owner HubSpot no longer has', async () => {
    const { hubspot, calls } = client([json(200, ownerBody), json(404, { status: 'error', category: 'OBJECT_NOT_FOUND' })]);
    await expect(hubspot.fetchOwner('83452113')).resolves.toMatchObject({ email: 'dana.reyes@northwind.example', firstName: 'Dana' });
    await expect(hubspot.fetchOwner('1')).resolves.toBeNull();
    expect(calls.map((c) => c.url)).toEqual(['https://api.hubapi.test/crm/v3/owners/83452113', 'https://api.hubapi.test/crm/v3/owners/1']);
  });

  it('retries owner fetches too', async () => {
    const { hubspot, sleeps } = client([json(429, {}), json(200, ownerBody)]);
    await expect(hubspot.fetchOwner('83452113')).resolves.not.toBeNull();
    expect(sleeps).toEqual([1000]);
  });
});

describe('hubSpotDealToLostDeal', () => {
  const deal = ZHubSpotDeal.parse(fixtureObject('hubspot-deal.json'));
  const owner = ZHubSpotOwner.parse(fixtureObject('hubspot-owner.json'));

  it('normalises the documented deal and owner', () => {
    expect(hubSpotDealToLostDeal(deal, owner, { portalId: '62515', competitorProperty: 'competitor_name' })).toEqual({
      source: 'hubspot',
      externalId: '18385316571',
      name: 'Northwind – platform renewal',
      amount: '48000',
      currency: 'EUR',
      owner: { email: 'dana.reyes@northwind.example', name: 'Dana Reyes' },
      competitor: 'Globex',
      lossReason: 'Went with a cheaper vendor after the pilot',
      crmUrl: 'https://app.hubspot.com/contacts/62515/record/0-3/18385316571',
      lostAt: new Date('2025-11-20T14:03:11.529Z'),
    });
  });

  it('prefers the webhook time, tolerates a missing owner and blank properties', () => {
    const sparse = { ...deal, properties: { dealname: 'X', amount: '', deal_currency_code: null, dealstage: 'closedlost' } };
    const lostAt = new Date('2025-11-21T00:00:00Z');
    const result = hubSpotDealToLostDeal(sparse, null, { portalId: '62515', appUrl: 'https://app-eu1.hubspot.com/', lostAt });
    expect(result).toMatchObject({ amount: null, currency: null, owner: {}, competitor: null, lossReason: null, lostAt });
    expect(result.crmUrl).toBe('https://app-eu1.hubspot.com/contacts/62515/record/0-3/18385316571');
  });

  it('falls back to updatedAt when the deal has no close date', () => {
    const undated = { ...deal, properties: { ...deal.properties, closedate: null } };
    expect(hubSpotDealToLostDeal(undated, owner, { portalId: '62515' }).lostAt).toEqual(new Date('2025-11-20T14:03:12.004Z'));
  });
});

describe('isHubSpotDealLost', () => {
  it('checks the deal’s current stage', () => {
    const deal = ZHubSpotDeal.parse(fixtureObject('hubspot-deal.json'));
    expect(isHubSpotDealLost(deal, ['closedlost'])).toBe(true);
    expect(isHubSpotDealLost({ ...deal, properties: { dealstage: 'closedwon' } }, ['closedlost'])).toBe(false);
  });
});
