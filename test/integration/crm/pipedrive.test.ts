import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_RETRO_CHANNEL, startHarness, type THarness } from '../../helpers/debriefHarness';
import { DATABASE_KINDS } from '../../helpers/database';
import { blocksText, captureLogs, countRows, retroParents, settle, threadMessages } from '../../helpers/crmIntake';
import { postPipedrive, postWebhook } from '../../helpers/crmRequests';

const fixtures = join(__dirname, '../../fixtures/crm');
type TJson = Record<string, unknown>;
const V2 = JSON.parse(readFileSync(join(fixtures, 'pipedrive-v2-deal-lost.json'), 'utf8')) as { meta: TJson; data: TJson; previous: TJson };
const V1_TEXT = readFileSync(join(fixtures, 'pipedrive-v1-deal-lost.json'), 'utf8');

const USER = 'debrief';
const PASSWORD = 'pd-hook-pass-7c1e9a';
const COMPETITOR_KEY = '5c6f3e2a9b1d4c7e8f0a1b2c3d4e5f6a7b8c9d0e';

let lastDealId = 2000;

/** A v2 "change" event for a deal, in the documented shape. */
function v2Event(dealId: number, change: { status: string; previousStatus: string; at: string }): string {
  return JSON.stringify({
    ...V2,
    meta: { ...V2.meta, entity_id: String(dealId), timestamp: change.at },
    data: { ...V2.data, id: dealId, status: change.status, lost_time: change.status === 'lost' ? change.at : null, update_time: change.at },
    previous: { ...V2.previous, status: change.previousStatus },
  });
}

describe.each(DATABASE_KINDS)('Pipedrive intake on %s', (kind) => {
  let harness: THarness;
  let dealId: number;

  beforeAll(async () => {
    harness = await startHarness(kind, {
      crm: { pipedrive: { user: USER, password: PASSWORD, companyDomain: undefined, competitorField: COMPETITOR_KEY } },
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(async () => {
    await settle(harness);
    harness.slack.reset();
    dealId = (lastDealId += 1);
  });

  const send = (body: string, credentials = { user: USER, password: PASSWORD }) => postPipedrive(harness.http.baseUrl, body, credentials);

  it('opens a retro from the documented v2 event: title, value, lost reason, competitor and link', async () => {
    const response = await send(JSON.stringify(V2));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, opened: ['pipedrive:1045'] });
    const [parent] = retroParents(harness.slack);
    const text = blocksText(parent!);
    expect(text).toContain('Lost: Northwind platform renewal');
    expect(text).toContain('€48,000.00');
    expect(text).toContain('Chose a competitor');
    expect(text).toContain('Globex');
    expect(text).toContain('https://northwind.pipedrive.com/deal/1045|Open in CRM');
    // v2 carries only the owner's user id, so the retro cannot mention anyone.
    expect(text).toContain('Unknown owner');
  });

  it('opens a retro from the documented v1 event, naming the owner', async () => {
    const body = V1_TEXT.replaceAll('1045', String(dealId));
    expect((await send(body)).json).toEqual({ ok: true, opened: [`pipedrive:${dealId}`] });
    expect(blocksText(retroParents(harness.slack)[0]!)).toContain('Dana Reyes');
  });

  it('opens one retro when Pipedrive retries the delivery', async () => {
    const body = v2Event(dealId, { status: 'lost', previousStatus: 'open', at: '2025-11-20T10:15:01.874Z' });
    const answers = await Promise.all([send(body), send(body)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.map((answer) => answer.json)).toEqual(
      expect.arrayContaining([{ ok: true, opened: [`pipedrive:${dealId}`] }, { ok: true, alreadyOpen: [`pipedrive:${dealId}`] }]),
    );
    expect(retroParents(harness.slack)).toHaveLength(1);
  });

  it('reopens, drops a late retry of the old loss, and links the next loss to the first retro', async () => {
    await send(v2Event(dealId, { status: 'lost', previousStatus: 'open', at: '2025-11-20T10:00:00.000Z' }));
    const firstTs = String(retroParents(harness.slack)[0]!.response?.ts);

    const reopen = await send(v2Event(dealId, { status: 'open', previousStatus: 'lost', at: '2025-11-21T10:00:00.000Z' }));
    expect(reopen.json).toEqual({ ok: true, reopened: [`pipedrive:${dealId}`] });
    const parentUpdate = harness.slack.calls('chat.update').find((call) => call.args.ts === firstTs);
    expect(blocksText(parentUpdate!)).toContain('Deal reopened');
    expect(threadMessages(harness.slack, firstTs).some((call) => blocksText(call).includes('reopened in Pipedrive on Nov 21, 2025'))).toBe(true);

    // Pipedrive retries the first delivery (it had timed out on its side): older than the reopen.
    const late = await send(v2Event(dealId, { status: 'lost', previousStatus: 'open', at: '2025-11-20T10:00:00.000Z' }));
    expect(late.json).toEqual({ ok: true, stale: [`pipedrive:${dealId}`] });
    expect(retroParents(harness.slack)).toHaveLength(1);

    const again = await send(v2Event(dealId, { status: 'lost', previousStatus: 'open', at: '2025-11-24T10:00:00.000Z' }));
    expect(again.json).toEqual({ ok: true, opened: [`pipedrive:${dealId}`] });
    const parents = retroParents(harness.slack);
    expect(parents).toHaveLength(2);
    expect(blocksText(parents[1]!)).toContain(`Lost before: <https://test.slack.com/archives/${TEST_RETRO_CHANNEL}/p${firstTs.replace('.', '')}|the earlier retro>`);

    const rows = await harness.debrief.database.prisma.retro.findMany({ where: { deal: { externalId: String(dealId) } }, orderBy: { lossNumber: 'asc' } });
    expect(rows.map((row) => row.status)).toEqual(['reopened', 'open']);
  });

  it('does not open a retro when the reopen overtakes its loss', async () => {
    await send(v2Event(dealId, { status: 'open', previousStatus: 'lost', at: '2025-11-21T10:00:00.000Z' }));
    const late = await send(v2Event(dealId, { status: 'lost', previousStatus: 'open', at: '2025-11-20T10:00:00.000Z' }));
    expect(late.json).toEqual({ ok: true, stale: [`pipedrive:${dealId}`] });
    expect(retroParents(harness.slack)).toHaveLength(0);
  });

  it('answers 200 and stores nothing for a deal that was won', async () => {
    const before = await countRows(harness);
    const response = await send(v2Event(dealId, { status: 'won', previousStatus: 'open', at: '2025-11-20T10:00:00.000Z' }));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, ignored: ['deal status is won'] });
    expect(await countRows(harness)).toEqual(before);
  });

  it.each([
    ['no credentials', { anonymous: true }, 401, 'missing Authorization header'],
    ['a wrong password', { password: 'guessed-password' }, 401, 'do not match'],
    ['a body that is not JSON', { body: '{"meta":' }, 400, 'not valid JSON'],
    ['an event without meta', { body: JSON.stringify({ data: V2.data }) }, 400, 'meta'],
  ])('refuses %s, logs why and stores nothing', async (_label, variant, status, reason) => {
    const before = await countRows(harness);
    const logs = captureLogs(harness);
    const body = 'body' in variant ? variant.body : v2Event(dealId, { status: 'lost', previousStatus: 'open', at: '2025-11-20T10:00:00.000Z' });
    const password = 'password' in variant ? variant.password : PASSWORD;
    const response =
      'anonymous' in variant
        ? await postWebhook(harness.http.baseUrl, '/webhooks/pipedrive', body, { 'content-type': 'application/json' })
        : await send(body, { user: USER, password });
    logs.restore();
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ ok: false, error: expect.stringContaining(reason) });
    expect(await countRows(harness)).toEqual(before);
    const logged = logs.lines().join('\n');
    expect(logged).toContain(`Refused a Pipedrive webhook delivery (${status}): `);
    expect(logged).not.toContain(PASSWORD);
    expect(logged).not.toContain('guessed-password');
  });
});
