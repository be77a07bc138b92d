import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_RETRO_CHANNEL, startHarness, type THarness } from '../../helpers/debriefHarness';
import { DATABASE_KINDS } from '../../helpers/database';
import { FakeHubSpot } from '../../helpers/fakeHubSpot';
import { blocksText, captureLogs, countRows, directMessages, retroParents, settle, threadMessages } from '../../helpers/crmIntake';
import { hubSpotSignature, postHubSpot } from '../../helpers/crmRequests';

const fixtures = join(__dirname, '../../fixtures/crm');
const BATCH = readFileSync(join(fixtures, 'hubspot-webhook-batch.json'), 'utf8');
const DEAL = JSON.parse(readFileSync(join(fixtures, 'hubspot-deal.json'), 'utf8')) as { id: string; properties: Record<string, string | null> };
const OWNER = JSON.parse(readFileSync(join(fixtures, 'hubspot-owner.json'), 'utf8')) as { id: string; email: string };

const SECRET = 'hs-client-secret-7f3a9c';
const PUBLIC_URL = 'https://debrief.example.com';
const SIGNED_URL = `${PUBLIC_URL}/webhooks/hubspot`;
const DANA = 'U0DANA001';
const PORTAL = 62515;

// Every test reports its own deal, so that what one test stored does not answer for the next.
let lastDealId = 18385316571;
const nextDealId = () => String((lastDealId += 1));

type TEvent = { objectId: string; propertyValue: string; occurredAt: number; eventId?: number; attemptNumber?: number };

/** A one-event batch in the documented shape: a deal's stage changed. */
function stageChange(event: TEvent): string {
  return JSON.stringify([
    {
      eventId: event.eventId ?? event.occurredAt,
      subscriptionId: 2761238,
      portalId: PORTAL,
      appId: 1160452,
      occurredAt: event.occurredAt,
      subscriptionType: 'deal.propertyChange',
      attemptNumber: event.attemptNumber ?? 0,
      objectId: Number(event.objectId),
      changeSource: 'CRM_UI',
      propertyName: 'dealstage',
      propertyValue: event.propertyValue,
    },
  ]);
}

describe.each(DATABASE_KINDS)('HubSpot intake on %s', (kind) => {
  let harness: THarness;
  let hubspot: FakeHubSpot;
  let dealId: string;

  beforeAll(async () => {
    hubspot = await FakeHubSpot.start();
    harness = await startHarness(kind, {
      crm: {
        publicUrl: PUBLIC_URL,
        hubspot: { clientSecret: SECRET, accessToken: hubspot.accessToken, apiUrl: hubspot.url, lostStageIds: ['closedlost'], competitorProperty: 'competitor_name' },
      },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await hubspot?.stop();
  });
  beforeEach(async () => {
    await settle(harness);
    harness.slack.reset();
    hubspot.reset();
    dealId = nextDealId();
    hubspot.setDeal({ ...DEAL, id: dealId });
    hubspot.setOwner(OWNER);
    harness.slack.addUser({ id: DANA, email: OWNER.email, realName: 'Dana Reyes' });
  });

  const send = (body: string, options: { timestampMs?: number; signedUrl?: string; secret?: string; headers?: Record<string, string> } = {}) =>
    postHubSpot(harness.http.baseUrl, body, { secret: SECRET, signedUrl: SIGNED_URL, ...options });

  it('opens a retro for the documented batch: deal, amount, owner mention, reason, competitor and link', async () => {
    hubspot.setDeal(DEAL);
    const response = await send(BATCH);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, lost: [DEAL.id], reopenCandidates: ['18385316990'] });
    await settle(harness);

    const [parent, ...others] = retroParents(harness.slack);
    expect(others).toHaveLength(0);
    const text = blocksText(parent!);
    expect(text).toContain('Lost: Northwind – platform renewal');
    expect(text).toContain('€48,000.00');
    expect(text).toContain(`<@${DANA}>`);
    expect(text).toContain('Globex');
    expect(text).toContain('Went with a cheaper vendor after the pilot');
    expect(text).toContain(`https://app.hubspot.com/contacts/${PORTAL}/record/0-3/${DEAL.id}|Open in CRM`);
    expect(text).toContain('HubSpot · lost 2025-11-20');

    const parentTs = String(parent!.response?.ts);
    expect(threadMessages(harness.slack, parentTs)).toHaveLength(1); // the debrief prompt
    expect(directMessages(harness.slack, DANA)).toHaveLength(1);

    // Read with the token, asking for the competitor property; the reopen candidate cost no API call.
    const dealCalls = hubspot.calls('deals');
    expect(dealCalls).toHaveLength(1);
    expect(dealCalls[0]).toMatchObject({ path: `/crm/v3/objects/deals/${DEAL.id}`, authorization: `Bearer ${hubspot.accessToken}` });
    expect(dealCalls[0]!.properties).toEqual(expect.arrayContaining(['dealname', 'amount', 'closed_lost_reason', 'hubspot_owner_id', 'competitor_name']));
    expect(hubspot.calls('owners').map((call) => call.path)).toEqual([`/crm/v3/owners/${OWNER.id}`]);

    const retro = await harness.debrief.database.prisma.retro.findFirstOrThrow({ where: { messageTs: parentTs }, include: { deal: true } });
    expect(retro.deal).toMatchObject({ source: 'hubspot', externalId: DEAL.id, ownerSlackUserId: DANA, ownerEmail: OWNER.email, currency: 'EUR' });
    expect(retro.deal.lostAt.toISOString()).toBe('2025-11-20T14:03:11.529Z'); // when the stage changed
  });

  it('answers before reading the deal, and waits as long as a 429 Retry-After asks', async () => {
    hubspot.failNext('deals', { status: 429, retryAfterSeconds: 1 });
    const started = Date.now();
    const response = await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: Date.now() }));
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(900);
    expect(retroParents(harness.slack)).toHaveLength(0);

    await settle(harness);
    const [limited, retried] = hubspot.calls('deals');
    expect(limited?.status).toBe(429);
    expect(retried?.status).toBe(200);
    expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
    expect(retroParents(harness.slack)).toHaveLength(1);
  });

  it('retries 500s with backoff until HubSpot answers', async () => {
    hubspot.failNext('deals', { status: 500 }, { status: 502 });
    await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: Date.now() }));
    await settle(harness);
    expect(hubspot.calls('deals').map((call) => call.status)).toEqual([500, 502, 200]);
    expect(retroParents(harness.slack)).toHaveLength(1);
  });

  it('says in the retro channel when HubSpot keeps failing, and stores nothing', async () => {
    const before = await countRows(harness);
    const logs = captureLogs(harness);
    hubspot.failAlways('deals', { status: 500 });
    const response = await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: Date.now() }));
    expect(response.status).toBe(200);
    await settle(harness);
    logs.restore();

    expect(hubspot.calls('deals')).toHaveLength(4); // the first try and three retries
    expect(await countRows(harness)).toEqual(before);
    const notices = harness.slack.calls('chat.postMessage');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.args.channel).toBe(TEST_RETRO_CHANNEL);
    const notice = blocksText(notices[0]!);
    expect(notice).toContain('no retro was opened');
    expect(notice).toContain(`https://app.hubspot.com/contacts/${PORTAL}/record/0-3/${dealId}|deal ${dealId}`);
    expect(notice).toContain('failed with 500');
    expect(logs.lines().join('\n')).toContain(`HubSpot deal ${dealId} was reported lost but could not be read`);
    expect(logs.lines().join('\n')).not.toContain(hubspot.accessToken);
  });

  it('opens the retro without a mention when no Slack user has the owner’s e-mail', async () => {
    const leaver = 'sam.left@northwind.example';
    hubspot.setOwner({ ...OWNER, email: leaver, firstName: 'Sam', lastName: 'Left' });
    await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: Date.now() }));
    await settle(harness);
    const [parent] = retroParents(harness.slack);
    const text = blocksText(parent!);
    expect(text).toContain(`Sam Left (${leaver})`);
    expect(text).not.toContain('<@');
    expect(harness.slack.calls('users.lookupByEmail').map((call) => call.response)).toEqual([{ ok: false, error: 'users_not_found' }]);
    expect(directMessages(harness.slack, DANA)).toHaveLength(0);

    // Asked once: the next loss with the same owner uses the cached answer.
    dealId = nextDealId();
    hubspot.setDeal({ ...DEAL, id: dealId });
    await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: Date.now() }));
    await settle(harness);
    expect(retroParents(harness.slack)).toHaveLength(2);
    expect(harness.slack.calls('users.lookupByEmail')).toHaveLength(1);
  });

  it('opens one retro when HubSpot delivers the same batch twice, even at once', async () => {
    const occurredAt = Date.now();
    const body = stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt, eventId: 9001 });
    const retry = stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt, eventId: 9001, attemptNumber: 1 });
    const before = await countRows(harness);
    const answers = await Promise.all([send(body), send(retry), send(body)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await settle(harness);
    expect(retroParents(harness.slack)).toHaveLength(1);
    expect((await countRows(harness)).retros - before.retros).toBe(1);
  });

  it('marks the retro reopened, ignores a late copy of the old loss, and links a new loss to it', async () => {
    const lostAt = Date.now() - 60_000;
    await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: lostAt }));
    await settle(harness);
    const [first] = retroParents(harness.slack);
    const firstTs = String(first!.response?.ts);

    // Moved back to an open stage before anyone debriefed.
    hubspot.setDeal({ ...DEAL, id: dealId, properties: { ...DEAL.properties, dealstage: 'contractsent' } });
    await send(stageChange({ objectId: dealId, propertyValue: 'contractsent', occurredAt: lostAt + 10_000 }));
    await settle(harness);
    const update = harness.slack.calls('chat.update').find((call) => call.args.ts === firstTs);
    expect(blocksText(update!)).toContain('Deal reopened');
    const note = threadMessages(harness.slack, firstTs).find((call) => blocksText(call).includes('reopened in HubSpot'));
    expect(note).toBeDefined();
    expect(blocksText(note!)).toContain('No debrief is needed while the deal is open');

    // HubSpot retries the old loss event while the deal is lost again in HubSpot: still stale.
    hubspot.setDeal({ ...DEAL, id: dealId });
    await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: lostAt, attemptNumber: 3 }));
    await settle(harness);
    expect(retroParents(harness.slack)).toHaveLength(1);

    // Lost again, for real: a new retro, linked both ways.
    await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: lostAt + 20_000 }));
    await settle(harness);
    const parents = retroParents(harness.slack);
    expect(parents).toHaveLength(2);
    const firstPermalink = `https://test.slack.com/archives/${TEST_RETRO_CHANNEL}/p${firstTs.replace('.', '')}`;
    expect(blocksText(parents[1]!)).toContain(`Lost before: <${firstPermalink}|the earlier retro>`);
    const secondTs = String(parents[1]!.response?.ts);
    const forward = threadMessages(harness.slack, firstTs).find((call) => blocksText(call).includes('was lost again'));
    expect(blocksText(forward!)).toContain(`p${secondTs.replace('.', '')}|the new retro`);

    const retros = await harness.debrief.database.prisma.retro.findMany({ where: { deal: { externalId: dealId } }, orderBy: { lossNumber: 'asc' } });
    expect(retros.map((retro) => [retro.lossNumber, retro.status])).toEqual([
      [1, 'reopened'],
      [2, 'open'],
    ]);
    expect(retros[1]!.previousRetroId).toBe(retros[0]!.id);
  });

  it('ignores a loss delivered after the reopen that followed it (out of order)', async () => {
    const t = Date.now();
    // The reopen overtakes the loss; HubSpot's API (wrongly, for this test) still says lost.
    await send(stageChange({ objectId: dealId, propertyValue: 'appointmentscheduled', occurredAt: t }));
    await settle(harness);
    await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: t - 5_000 }));
    await settle(harness);
    expect(retroParents(harness.slack)).toHaveLength(0);
  });

  it('skips a loss whose deal HubSpot no longer shows as lost', async () => {
    hubspot.setDeal({ ...DEAL, id: dealId, properties: { ...DEAL.properties, dealstage: 'qualifiedtobuy' } });
    await send(stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: Date.now() }));
    await settle(harness);
    expect(retroParents(harness.slack)).toHaveLength(0);
  });

  it('answers 200 and does nothing for a move between open stages', async () => {
    const before = await countRows(harness);
    const response = await send(stageChange({ objectId: '777', propertyValue: 'qualifiedtobuy', occurredAt: Date.now() }));
    expect(response.status).toBe(200);
    await settle(harness);
    expect(await countRows(harness)).toEqual(before);
    expect(harness.slack.calls('chat.postMessage')).toHaveLength(0);
    expect(hubspot.calls()).toHaveLength(0);
  });

  describe('refuses, logs why, and stores nothing', () => {
    const valid = () => stageChange({ objectId: dealId, propertyValue: 'closedlost', occurredAt: Date.now() });

    it.each([
      ['an expired timestamp', () => ({ body: valid(), options: { timestampMs: Date.now() - 6 * 60_000 } }), 401, 'older than 5 minutes'],
      ['a wrong secret', () => ({ body: valid(), options: { secret: 'not-the-secret' } }), 401, 'does not match'],
      [
        'a body changed after signing',
        () => {
          const body = valid();
          const timestampMs = Date.now();
          const headers = { 'x-hubspot-signature-v3': hubSpotSignature(SECRET, SIGNED_URL, body, timestampMs) };
          return { body: body.replace('closedlost', 'closedwon'), options: { timestampMs, headers } };
        },
        401,
        'does not match',
      ],
      ['a URL other than PUBLIC_URL', () => ({ body: valid(), options: { signedUrl: 'http://127.0.0.1/webhooks/hubspot' } }), 401, 'does not match'],
      ['a body that is not JSON', () => ({ body: '[{"objectId":', options: {} }), 400, 'not valid JSON'],
      ['a stage event without objectId', () => ({ body: valid().replace(`"objectId":${dealId},`, ''), options: {} }), 400, 'objectId'],
    ])('%s', async (_label, make, status, reason) => {
      const before = await countRows(harness);
      const logs = captureLogs(harness);
      const { body, options } = make();
      const response = await send(body, options);
      logs.restore();
      expect(response.status).toBe(status);
      expect(response.json).toEqual({ ok: false, error: expect.stringContaining(reason) });
      await settle(harness);
      expect(await countRows(harness)).toEqual(before);
      expect(hubspot.calls()).toHaveLength(0);
      const logged = logs.lines().join('\n');
      expect(logged).toContain(`Refused a HubSpot webhook delivery (${status})`);
      expect(logged).toContain(reason);
      expect(logged).not.toContain(SECRET);
    });

  });
});

describe('HubSpot intake without PUBLIC_URL', () => {
  let harness: THarness;
  let hubspot: FakeHubSpot;

  beforeAll(async () => {
    hubspot = await FakeHubSpot.start();
    harness = await startHarness('pglite', {
      crm: { hubspot: { clientSecret: SECRET, accessToken: hubspot.accessToken, apiUrl: hubspot.url, lostStageIds: ['closedlost', '1043279'], competitorProperty: undefined } },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await hubspot?.stop();
  });

  it('verifies the signature over the URL the request was sent to, and honours custom lost stages', async () => {
    hubspot.setDeal({ ...DEAL, properties: { ...DEAL.properties, dealstage: '1043279' } });
    const body = stageChange({ objectId: DEAL.id, propertyValue: '1043279', occurredAt: Date.now() });
    const asReceived = `${harness.http.baseUrl}/webhooks/hubspot`;
    expect((await postHubSpot(harness.http.baseUrl, body, { secret: SECRET, signedUrl: SIGNED_URL })).status).toBe(401);
    expect((await postHubSpot(harness.http.baseUrl, body, { secret: SECRET, signedUrl: asReceived })).status).toBe(200);
    // Behind a TLS proxy the scheme comes from X-Forwarded-Proto.
    const proxied = asReceived.replace('http://', 'https://');
    const viaProxy = await postHubSpot(harness.http.baseUrl, body, { secret: SECRET, signedUrl: proxied, headers: { 'x-forwarded-proto': 'https' } });
    expect(viaProxy.status).toBe(200);
    await settle(harness);
    expect(retroParents(harness.slack)).toHaveLength(1);
    // No competitor property is configured, so the winner is not known.
    expect(blocksText(retroParents(harness.slack)[0]!)).toContain('Not known yet');
  });
});
