import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_KINDS } from '../../helpers/database';
import { startHarness, type THarness } from '../../helpers/debriefHarness';
import type { ResponseBody } from '../../helpers/fakeSlack';
import { captureLogs, retroParents, settle } from '../../helpers/crmIntake';
import { postGeneric } from '../../helpers/crmRequests';

// With OAuth installs a CRM webhook names no Slack workspace: losses go to the one workspace
// Debrief is installed in, with that workspace's token, and are refused rather than guessed
// once there are several.

const SECRET = 'whsec-debrief-oauth-5e1a';
const GENERIC = JSON.parse(readFileSync(join(__dirname, '../../fixtures/crm/generic-lost.json'), 'utf8')) as Record<string, unknown>;
const TEAMS = {
  acme: { code: 'code-acme', teamId: 'T0ACME001', token: 'xoxb-acme-1111-SECRET' },
  globex: { code: 'code-globex', teamId: 'T0GLOBEX1', token: 'xoxb-globex-2222-SECRET' },
} as const;

describe.each(DATABASE_KINDS)('CRM intake with OAuth installs (%s)', (kind) => {
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, {
      slack: { botToken: undefined, oauth: { clientId: '1234567890.0987654321', clientSecret: 'abcdef0123456789abcdef', stateSecret: 'state-secret-for-tests-only' } },
      encryptionKeys: [randomBytes(32)],
      crm: { generic: { signingSecret: SECRET } },
    });
    harness.slack.setResponse('oauth.v2.access', (args): ResponseBody => {
      const team = Object.values(TEAMS).find((candidate) => candidate.code === args.code);
      if (!team) return { ok: false, error: 'invalid_code' };
      return {
        ok: true,
        app_id: 'A0TEST',
        access_token: team.token,
        token_type: 'bot',
        scope: 'chat:write,users:read.email',
        bot_user_id: 'U0BOT',
        team: { id: team.teamId, name: team.teamId },
        enterprise: null,
        is_enterprise_install: false,
        authed_user: { id: 'U0ADMIN01' },
      };
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  /** "Add to Slack" as a browser follows it. */
  async function install(code: string): Promise<void> {
    const start = await fetch(`${harness.http.baseUrl}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location') as string).searchParams.get('state') as string;
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const done = await fetch(`${harness.http.baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(done.status).toBe(200);
  }

  const report = (dealId: string) => postGeneric(harness.http.baseUrl, JSON.stringify({ ...GENERIC, dealId }), { secret: SECRET });

  it('refuses to guess before any install, posts with the only workspace’s token, and refuses again once there are two', async () => {
    const logs = captureLogs(harness);
    const early = await report('OAUTH-0');
    expect(early.status).toBe(500);

    await install(TEAMS.acme.code);
    const response = await report('OAUTH-1');
    expect(response.json).toEqual({ ok: true, opened: ['generic:OAUTH-1'] });
    await settle(harness);
    const [parent] = retroParents(harness.slack);
    expect(parent?.token).toBe(TEAMS.acme.token);
    const retro = await harness.debrief.database.prisma.retro.findFirstOrThrow({ include: { workspace: true } });
    expect(retro.workspace.slackTeamId).toBe(TEAMS.acme.teamId);

    await install(TEAMS.globex.code);
    const ambiguous = await report('OAUTH-2');
    logs.restore();
    expect(ambiguous.status).toBe(500);
    expect(retroParents(harness.slack)).toHaveLength(1);
    const logged = logs.lines().join('\n');
    expect(logged).toContain('Debrief is not installed in any Slack workspace yet');
    expect(logged).toContain(`installed in 2 (${TEAMS.acme.teamId}, ${TEAMS.globex.teamId})`);
    expect(logged).not.toContain('SECRET');
  });
});
