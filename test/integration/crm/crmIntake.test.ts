import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CALLBACKS } from '../../../src/slack/ids';
import { startHarness, type THarness } from '../../helpers/debriefHarness';
import { DATABASE_KINDS } from '../../helpers/database';
import { FakeHubSpot } from '../../helpers/fakeHubSpot';
import { captureLogs, countRows, directMessages, retroParents, settle } from '../../helpers/crmIntake';
import { postGeneric, postHubSpot, postSalesforceOutboundMessage, postWebhook } from '../../helpers/crmRequests';
import { REP, logFormState, viewSubmission } from '../../helpers/payloads';
import { postInteraction } from '../../helpers/slackRequests';

// What holds across CRMs: one retro per deal whoever reports it, routes that exist only once
// configured, and a body size limit.

const fixtures = join(__dirname, '../../fixtures/crm');
const DEAL = JSON.parse(readFileSync(join(fixtures, 'hubspot-deal.json'), 'utf8')) as { id: string; properties: Record<string, string | null> };
const GENERIC = JSON.parse(readFileSync(join(fixtures, 'generic-lost.json'), 'utf8')) as Record<string, unknown>;
const OUTBOUND = readFileSync(join(fixtures, 'salesforce-outbound-message.xml'), 'utf8');

const HUBSPOT_SECRET = 'hs-client-secret-7f3a9c';
const GENERIC_SECRET = 'whsec-debrief-2b7f91c04e';
const PORTAL = 62515;

let lastDealId = 30_000_000_000;

function hubSpotLoss(dealId: string): string {
  return JSON.stringify([
    { eventId: Number(dealId), portalId: PORTAL, occurredAt: Date.now(), subscriptionType: 'deal.propertyChange', objectId: Number(dealId), propertyName: 'dealstage', propertyValue: 'closedlost' },
  ]);
}

describe.each(DATABASE_KINDS)('CRM intake across CRMs on %s', (kind) => {
  let harness: THarness;
  let hubspot: FakeHubSpot;
  let dealId: string;
  const recordUrl = () => `https://app.hubspot.com/contacts/${PORTAL}/record/0-3/${dealId}`;

  beforeAll(async () => {
    hubspot = await FakeHubSpot.start();
    harness = await startHarness(kind, {
      crm: {
        hubspot: { clientSecret: HUBSPOT_SECRET, accessToken: hubspot.accessToken, apiUrl: hubspot.url, lostStageIds: ['closedlost'], competitorProperty: undefined },
        generic: { signingSecret: GENERIC_SECRET },
        // Flow callouts only: Outbound Messages stay off.
        salesforce: { orgId: undefined, flowSecret: 'sf-flow-secret-0123456789abcdef', lostStages: ['Closed Lost'] },
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
    dealId = String((lastDealId += 1));
    hubspot.setDeal({ ...DEAL, id: dealId, properties: { ...DEAL.properties, hubspot_owner_id: null } });
  });

  const sendHubSpot = () => postHubSpot(harness.http.baseUrl, hubSpotLoss(dealId), { secret: HUBSPOT_SECRET });
  const sendGeneric = (overrides: Record<string, unknown>) =>
    postGeneric(harness.http.baseUrl, JSON.stringify({ ...GENERIC, dealId: `ZAP-${dealId}`, ...overrides }), { secret: GENERIC_SECRET });

  it('opens one retro when HubSpot and a Zapier zap both report the loss of one HubSpot deal', async () => {
    expect((await sendHubSpot()).status).toBe(200);
    await settle(harness);
    const zap = await sendGeneric({ crmUrl: recordUrl() });
    expect(zap.json).toEqual({ ok: true, alreadyOpen: [`hubspot:${dealId}`] });
    expect(retroParents(harness.slack)).toHaveLength(1);

    // And the other way round, for the next deal.
    dealId = String((lastDealId += 1));
    hubspot.setDeal({ ...DEAL, id: dealId, properties: { ...DEAL.properties, hubspot_owner_id: null } });
    expect((await sendGeneric({ crmUrl: recordUrl() })).json).toEqual({ ok: true, opened: [`hubspot:${dealId}`] });
    await sendHubSpot();
    await settle(harness);
    expect(retroParents(harness.slack)).toHaveLength(2);
  });

  it('opens one retro when a rep logs the deal by hand with its HubSpot link and HubSpot reports it too', async () => {
    const before = await countRows(harness);
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ crmUrl: recordUrl(), owner: REP }), userId: 'U0LOGGER1' }));
    await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === REP);
    expect(retroParents(harness.slack)).toHaveLength(1);

    await sendHubSpot();
    await settle(harness);
    expect(retroParents(harness.slack)).toHaveLength(1);
    expect((await countRows(harness)).retros - before.retros).toBe(1);
    const deal = await harness.debrief.database.prisma.deal.findFirstOrThrow({ where: { externalId: dealId } });
    expect(deal).toMatchObject({ source: 'hubspot', loggedBySlackUserId: 'U0LOGGER1', ownerSlackUserId: REP });

    // Logging it again by hand now points the rep at the retro that exists.
    harness.slack.reset();
    await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ crmUrl: recordUrl() }), userId: 'U0LOGGER1' }));
    const reply = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === 'U0LOGGER1');
    expect(String(reply.args.text)).toContain('already has a retro');
    expect(retroParents(harness.slack)).toHaveLength(0);
    expect(directMessages(harness.slack, REP)).toHaveLength(0);
  });

  it.each([
    ['/webhooks/pipedrive', '{}', 'application/json', 'Pipedrive intake is not configured: set PIPEDRIVE_WEBHOOK_USER and PIPEDRIVE_WEBHOOK_PASSWORD'],
    ['/webhooks/salesforce', OUTBOUND, 'text/xml', 'Salesforce Outbound Messages are not configured: set SALESFORCE_ORG_ID'],
  ])('answers %s with 404 while it is not configured, and says which variable enables it', async (path, body, contentType, error) => {
    const logs = captureLogs(harness);
    const response = path === '/webhooks/salesforce' ? await postSalesforceOutboundMessage(harness.http.baseUrl, body) : await postWebhook(harness.http.baseUrl, path, body, { 'content-type': contentType });
    logs.restore();
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ ok: false, error });
    expect(logs.lines().join('\n')).toContain(error);
  });

  it('refuses a body over 1 MiB with 413, whether it declares its length or streams it', async () => {
    const before = await countRows(harness);
    const huge = JSON.stringify({ ...GENERIC, reason: 'x'.repeat(1024 * 1024) });
    const declared = await sendGeneric({ reason: 'x'.repeat(1024 * 1024) });
    expect(declared.status).toBe(413);
    expect(declared.json).toEqual({ ok: false, error: 'body is larger than the limit of 1048576 bytes' });

    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request(`${harness.http.baseUrl}/webhooks/generic`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      // The server may close the connection before the whole body is written.
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
      for (let offset = 0; offset < huge.length; offset += 64 * 1024) req.write(huge.slice(offset, offset + 64 * 1024));
      req.end();
    });
    expect(streamed).toBe(413);
    expect(await countRows(harness)).toEqual(before);
  });

  it('serves the webhooks beside Slack’s own endpoint and /healthz', async () => {
    expect((await fetch(`${harness.http.baseUrl}/healthz`)).status).toBe(200);
    // Only POST is routed.
    expect((await fetch(`${harness.http.baseUrl}/webhooks/generic`)).status).toBe(404);
  });
});
