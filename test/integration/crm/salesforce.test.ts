import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type THarness } from '../../helpers/debriefHarness';
import { DATABASE_KINDS } from '../../helpers/database';
import { blocksText, captureLogs, countRows, retroParents, settle, threadMessages } from '../../helpers/crmIntake';
import { salesforceId18 } from '../../../src/crm/recordUrl';
import { postSalesforceFlow, postSalesforceOutboundMessage } from '../../helpers/crmRequests';

const fixtures = join(__dirname, '../../fixtures/crm');
const OUTBOUND = readFileSync(join(fixtures, 'salesforce-outbound-message.xml'), 'utf8');
const FLOW = JSON.parse(readFileSync(join(fixtures, 'salesforce-flow-callout.json'), 'utf8')) as Record<string, unknown>;

const ORG_ID = '00D5g000004ZkPbEAK';
const FLOW_SECRET = 'sf-flow-secret-0123456789abcdef';
const DANA = 'U0DANA001';
const LOST_IN_FIXTURE = '0065g00000XyZ12AAB';
const OPEN_IN_FIXTURE = '0065g00000XyZ34AAB';

let counter = 0;
/** A fresh 18-character opportunity id (with its case checksum), so that tests do not share deals. */
const nextOpportunityId = () => salesforceId18(`0065g00000T${String((counter += 1)).padStart(4, '0')}`);

/** The documented Outbound Message, about other opportunities and, optionally, at another time. */
function outbound(ids: { lost: string; open: string }, lastModified?: { lost?: string; open?: string }): string {
  let xml = OUTBOUND.replaceAll(LOST_IN_FIXTURE, ids.lost).replaceAll(OPEN_IN_FIXTURE, ids.open);
  if (lastModified?.lost) xml = xml.replace('2025-11-20T14:03:11.000Z', lastModified.lost);
  if (lastModified?.open) xml = xml.replace('2025-11-20T14:05:40.000Z', lastModified.open);
  return xml;
}

describe.each(DATABASE_KINDS)('Salesforce intake on %s', (kind) => {
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, { crm: { salesforce: { orgId: ORG_ID, flowSecret: FLOW_SECRET, lostStages: ['Closed Lost'] } } });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(async () => {
    await settle(harness);
    harness.slack.reset();
    harness.slack.addUser({ id: DANA, email: 'dana.reyes@northwind.example' });
  });

  describe('Outbound Messages', () => {
    it('acknowledges the documented message and opens a retro for the lost opportunity only', async () => {
      const response = await postSalesforceOutboundMessage(harness.http.baseUrl, OUTBOUND);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toContain('text/xml');
      expect(response.body).toContain('<Ack>true</Ack>');

      const parents = retroParents(harness.slack);
      expect(parents).toHaveLength(1);
      const text = blocksText(parents[0]!);
      expect(text).toContain('Lost: Northwind & Co – platform renewal');
      expect(text).toContain('€48,000.00');
      expect(text).toContain(`<@${DANA}>`);
      expect(text).toContain('Globex');
      expect(text).toContain('Price');
      expect(text).toContain(`https://northwind.my.salesforce.com/lightning/r/Opportunity/${LOST_IN_FIXTURE}/view|Open in CRM`);
      expect(text).toContain('Salesforce · lost 2025-11-20');
    });

    it('opens one retro when Salesforce retries the message, and a 15-character id finds the same deal', async () => {
      const ids = { lost: nextOpportunityId(), open: nextOpportunityId() };
      const before = await countRows(harness);
      const answers = await Promise.all([postSalesforceOutboundMessage(harness.http.baseUrl, outbound(ids)), postSalesforceOutboundMessage(harness.http.baseUrl, outbound(ids))]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      // The same opportunity by its 15-character id (a Flow built from a Classic link, say).
      const flow = await postSalesforceFlow(harness.http.baseUrl, JSON.stringify({ ...FLOW, opportunityId: ids.lost.slice(0, 15) }), { secret: FLOW_SECRET });
      expect(flow.json).toEqual({ ok: true, alreadyOpen: [`salesforce:${ids.lost}`] });
      expect(retroParents(harness.slack)).toHaveLength(1);
      expect((await countRows(harness)).retros - before.retros).toBe(1);
    });

    it('orders messages by LastModifiedDate: a retried loss older than the reopen changes nothing', async () => {
      const id = nextOpportunityId();
      const other = nextOpportunityId();
      // The reopen (the opportunity sent while open) arrives first, though it happened later.
      const reopen = outbound({ lost: nextOpportunityId(), open: id }, { open: '2025-11-21T09:00:00.000Z' });
      await postSalesforceOutboundMessage(harness.http.baseUrl, reopen);
      harness.slack.reset();
      await postSalesforceOutboundMessage(harness.http.baseUrl, outbound({ lost: id, open: other }, { lost: '2025-11-20T14:03:11.000Z' }));
      expect(retroParents(harness.slack)).toHaveLength(0);
    });

    it.each([
      ['another organisation', () => OUTBOUND.replace(ORG_ID, '00D000000000001EAA'), 401, 'OrganizationId does not match SALESFORCE_ORG_ID'],
      ['broken XML', () => OUTBOUND.slice(0, 500), 400, 'not well-formed'],
      ['a message without notifications', () => OUTBOUND.replace(/<Notification>[\s\S]*<\/Notification>/, ''), 400, 'Notification'],
    ])('refuses %s and stores nothing', async (_label, make, status, reason) => {
      const before = await countRows(harness);
      const logs = captureLogs(harness);
      const response = await postSalesforceOutboundMessage(harness.http.baseUrl, make());
      logs.restore();
      expect(response.status).toBe(status);
      expect(response.json).toEqual({ ok: false, error: expect.stringContaining(reason) });
      expect(await countRows(harness)).toEqual(before);
      expect(logs.lines().join('\n')).toContain(`Refused a Salesforce webhook delivery (${status}): `);
    });
  });

  describe('Flow callouts', () => {
    const flow = (overrides: Record<string, unknown>) => JSON.stringify({ ...FLOW, ...overrides });

    it('opens a retro from the documented body and answers what it did', async () => {
      const id = nextOpportunityId();
      const response = await postSalesforceFlow(harness.http.baseUrl, flow({ opportunityId: id, lostAt: '2025-11-20T15:00:00Z' }), { secret: FLOW_SECRET });
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ ok: true, opened: [`salesforce:${id}`] });
      const text = blocksText(retroParents(harness.slack)[0]!);
      expect(text).toContain(`<@${DANA}>`);
      expect(text).toContain(`https://northwind.lightning.force.com/lightning/r/Opportunity/0065g00000XyZ12AAB/view|Open in CRM`);
    });

    it('marks the retro reopened when the opportunity leaves Closed Lost, and opens a linked retro when it is lost again', async () => {
      const id = nextOpportunityId();
      await postSalesforceFlow(harness.http.baseUrl, flow({ opportunityId: id }), { secret: FLOW_SECRET });
      const [first] = retroParents(harness.slack);
      const firstTs = String(first!.response?.ts);

      const reopened = await postSalesforceFlow(
        harness.http.baseUrl,
        flow({ opportunityId: id, stageName: 'Negotiation/Review', priorStageName: 'Closed Lost', isClosed: false }),
        { secret: FLOW_SECRET },
      );
      expect(reopened.json).toEqual({ ok: true, reopened: [`salesforce:${id}`] });
      expect(threadMessages(harness.slack, firstTs).some((call) => blocksText(call).includes('reopened in Salesforce'))).toBe(true);

      const again = await postSalesforceFlow(harness.http.baseUrl, flow({ opportunityId: id }), { secret: FLOW_SECRET });
      expect(again.json).toEqual({ ok: true, opened: [`salesforce:${id}`] });
      expect(blocksText(retroParents(harness.slack)[1]!)).toContain('Lost before:');
    });

    it('ignores a move between open stages with 200', async () => {
      const before = await countRows(harness);
      const response = await postSalesforceFlow(
        harness.http.baseUrl,
        flow({ opportunityId: nextOpportunityId(), stageName: 'Proposal', priorStageName: 'Qualification', isClosed: false }),
        { secret: FLOW_SECRET },
      );
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ ok: true, ignored: ['stage changed from Qualification to Proposal'] });
      expect(await countRows(harness)).toEqual(before);
    });

    it.each([
      ['no secret', undefined, flow({}), 401, 'missing X-Debrief-Secret header'],
      ['a wrong secret', 'not-the-flow-secret-at-all', flow({}), 401, 'does not match SALESFORCE_FLOW_SECRET'],
      ['a body without a name', FLOW_SECRET, flow({ name: undefined }), 400, 'name'],
      ['an id that is not a Salesforce id', FLOW_SECRET, flow({ opportunityId: 'OPP-1' }), 400, 'opportunityId'],
    ])('refuses %s, stores nothing and never logs the secret', async (_label, secret, body, status, reason) => {
      const before = await countRows(harness);
      const logs = captureLogs(harness);
      const response = await postSalesforceFlow(harness.http.baseUrl, body, { secret });
      logs.restore();
      expect(response.status).toBe(status);
      expect(response.json).toEqual({ ok: false, error: expect.stringContaining(reason) });
      expect(await countRows(harness)).toEqual(before);
      const logged = logs.lines().join('\n');
      expect(logged).toContain(reason);
      expect(logged).not.toContain(FLOW_SECRET);
      expect(logged).not.toContain('not-the-flow-secret-at-all');
    });
  });
});
