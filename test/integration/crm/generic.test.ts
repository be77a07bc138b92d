import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type THarness } from '../../helpers/debriefHarness';
import { DATABASE_KINDS } from '../../helpers/database';
import { blocksText, captureLogs, countRows, directMessages, retroParents, settle, threadMessages } from '../../helpers/crmIntake';
import { postGeneric } from '../../helpers/crmRequests';

const FIXTURE = JSON.parse(readFileSync(join(__dirname, '../../fixtures/crm/generic-lost.json'), 'utf8')) as Record<string, unknown>;
const SECRET = 'whsec-debrief-2b7f91c04e';
const DANA = 'U0DANA001';

let counter = 0;

describe.each(DATABASE_KINDS)('Generic webhook intake on %s', (kind) => {
  let harness: THarness;
  let dealId: string;

  beforeAll(async () => {
    harness = await startHarness(kind, { crm: { generic: { signingSecret: SECRET } } });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(async () => {
    await settle(harness);
    harness.slack.reset();
    harness.slack.addUser({ id: DANA, email: 'Dana.Reyes@northwind.example' });
    dealId = `OPP-TEST-${(counter += 1)}`;
  });

  const body = (overrides: Record<string, unknown> = {}) => JSON.stringify({ ...FIXTURE, dealId, ...overrides });
  const send = (raw: string, options: { secret?: string; timestampSeconds?: number; headers?: Record<string, string> } = {}) =>
    postGeneric(harness.http.baseUrl, raw, { secret: SECRET, ...options });

  it('opens a retro from the documented body, with the owner found by e-mail and told', async () => {
    const response = await send(JSON.stringify(FIXTURE));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ok: true, opened: ['generic:OPP-2025-0415'] });
    const [parent] = retroParents(harness.slack);
    const text = blocksText(parent!);
    expect(text).toContain('Lost: Northwind platform renewal');
    expect(text).toContain('€48,000.00');
    expect(text).toContain(`<@${DANA}>`);
    expect(text).toContain('Globex');
    expect(text).toContain('Chose a cheaper vendor after the pilot');
    expect(text).toContain('https://crm.northwind.example/deals/OPP-2025-0415|Open in CRM');
    expect(text).toContain('Webhook · lost 2025-11-20');
    expect(directMessages(harness.slack, DANA)).toHaveLength(1);
  });

  it('opens one retro for a repeated delivery and marks it reopened on status "reopened"', async () => {
    await send(body());
    expect((await send(body())).json).toEqual({ ok: true, alreadyOpen: [`generic:${dealId}`] });
    const parents = retroParents(harness.slack);
    expect(parents).toHaveLength(1);
    const ts = String(parents[0]!.response?.ts);

    const reopened = await send(JSON.stringify({ dealId, name: 'Northwind platform renewal', status: 'reopened' }));
    expect(reopened.json).toEqual({ ok: true, reopened: [`generic:${dealId}`] });
    expect(threadMessages(harness.slack, ts).some((call) => blocksText(call).includes('reopened in your CRM'))).toBe(true);
    // Reported again: nothing more to say.
    expect((await send(JSON.stringify({ dealId, name: 'x', status: 'reopened' }))).json).toEqual({ ok: true, unchanged: [`generic:${dealId}`] });
  });

  it('names the owner in text when no Slack user has the e-mail', async () => {
    await send(body({ ownerEmail: 'nobody@northwind.example', ownerName: 'Noor Body' }));
    const text = blocksText(retroParents(harness.slack)[0]!);
    expect(text).toContain('Noor Body (nobody@northwind.example)');
    expect(text).not.toContain('<@');
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each([
    ['an expired timestamp', () => ({ raw: body(), options: { timestampSeconds: now() - 301 } }), 401, 'older than 5 minutes'],
    ['a timestamp from the future', () => ({ raw: body(), options: { timestampSeconds: now() + 600 } }), 401, 'too far in the future'],
    ['a wrong secret', () => ({ raw: body(), options: { secret: 'whsec-someone-else' } }), 401, 'does not match'],
    [
      'a body changed after signing',
      () => {
        const timestamp = now();
        return { raw: body({ amount: '1.00' }), options: { timestampSeconds: timestamp, headers: { 'x-debrief-signature': signatureOf(body(), timestamp) } } };
      },
      401,
      'does not match',
    ],
    ['a missing signature', () => ({ raw: body(), options: { headers: { 'x-debrief-signature': '' } } }), 401, 'missing X-Debrief-Signature'],
    ['a misspelt field', () => ({ raw: body({ ownerEmial: 'x@y.z' }), options: {} }), 400, 'ownerEmial'],
    ['a body that is not JSON', () => ({ raw: '{"dealId":', options: {} }), 400, 'not valid JSON'],
    ['an amount with three decimals', () => ({ raw: body({ amount: '1.005' }), options: {} }), 400, 'amount'],
  ])('refuses %s, logs why and stores nothing', async (_label, make, status, reason) => {
    const before = await countRows(harness);
    const logs = captureLogs(harness);
    const { raw, options } = make();
    const response = await send(raw, options);
    logs.restore();
    expect(response.status).toBe(status);
    expect(response.json).toEqual({ ok: false, error: expect.stringContaining(reason) });
    expect(await countRows(harness)).toEqual(before);
    const logged = logs.lines().join('\n');
    expect(logged).toContain(`Refused a Generic webhook delivery (${status}): `);
    expect(logged).toContain(reason);
    expect(logged).not.toContain(SECRET);
  });
});

function signatureOf(raw: string, timestamp: number): string {
  return `v1=${createHmac('sha256', SECRET).update(`${timestamp}.${raw}`).digest('hex')}`;
}
