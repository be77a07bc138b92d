import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import { OAUTH_TEAMS as TEAMS, TEST_OAUTH, answerOAuthFor, installThroughOAuth, oauthHarnessOptions, type TOAuthTeam } from '../helpers/oauthInstalls';
import { manifestBotScopes } from '../../src/slack/oauth';
import { eventEnvelope } from '../helpers/payloads';
import { postCommand, postEvent } from '../helpers/slackRequests';
import { waitFor } from '../helpers/wait';

// Two workspaces install Debrief through "Add to Slack" on one running app; each is then served
// with its own token, the tokens are sealed in the database, and uninstalling forgets them.

type TTeam = TOAuthTeam;

describe.each(DATABASE_KINDS)('OAuth installs in several workspaces (%s)', (kind) => {
  let harness: THarness;

  beforeEach(async () => {
    harness = await startHarness(kind, oauthHarnessOptions());
    answerOAuthFor(harness, Object.values(TEAMS));
  });

  afterEach(async () => {
    await harness.stop();
  });

  const install = (code: string): Promise<Response> => installThroughOAuth(harness, code);

  it("sends admins straight to Slack's consent screen with the manifest's scopes", async () => {
    const start = await fetch(`${harness.http.baseUrl}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const consent = new URL(start.headers.get('location') as string);
    expect(consent.hostname).toBe('slack.com');
    expect(consent.searchParams.get('client_id')).toBe(TEST_OAUTH.clientId);
    expect(consent.searchParams.get('scope')?.split(',')).toEqual(expect.arrayContaining(manifestBotScopes()));
    expect(consent.searchParams.get('state')).toBeTruthy();
  });

  async function openLogModalAs(team: TTeam) {
    const response = await postCommand(harness.http, { command: '/losses', text: 'log', team_id: team.teamId, user_id: 'U0REP0001' });
    expect(response.status).toBe(200);
    return harness.slack.waitForCall('views.open', (call) => call.token === team.token);
  }

  it('installs two workspaces, each served with its own token, with tokens sealed at rest', async () => {
    const acmePage = await install(TEAMS.acme.code);
    expect(acmePage.status).toBe(200);
    const acmeHtml = await acmePage.text();
    expect(acmeHtml).toContain('Debrief is installed');
    expect(acmeHtml).toContain('Acme Sales');
    expect((await install(TEAMS.globex.code)).status).toBe(200);

    await openLogModalAs(TEAMS.acme);
    await openLogModalAs(TEAMS.globex);
    const tokens = harness.slack.calls('views.open').map((call) => call.token);
    expect(tokens).toEqual([TEAMS.acme.token, TEAMS.globex.token]);

    const rows = await harness.debrief.database.prisma.$queryRawUnsafe<Array<{ install_key: string; sealed_installation: string }>>(
      'SELECT install_key, sealed_installation FROM slack_installations ORDER BY install_key',
    );
    expect(rows.map((row) => row.install_key)).toEqual([`T:${TEAMS.acme.teamId}`, `T:${TEAMS.globex.teamId}`]);
    for (const row of rows) {
      expect(row.sealed_installation).not.toContain('xoxb-');
      expect(row.sealed_installation).not.toContain('SECRET');
    }
  });

  it('shows a clear page, and stores nothing, when Slack refuses the code', async () => {
    const page = await install('code-nobody-issued');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('Debrief could not be installed');
    expect(await harness.debrief.database.prisma.slackInstallation.count()).toBe(0);
  });

  it('refuses a redirect with a forged state', async () => {
    const forged = await fetch(`${harness.http.baseUrl}/slack/oauth_redirect?code=${TEAMS.acme.code}&state=forged`);
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(harness.slack.calls('oauth.v2.access')).toHaveLength(0);
    expect(await harness.debrief.database.prisma.slackInstallation.count()).toBe(0);
  });

  it('serves nothing to a workspace that never installed Debrief', async () => {
    await install(TEAMS.acme.code);
    await postCommand(harness.http, { command: '/losses', text: 'log', team_id: 'T0STRANGER', user_id: 'U0REP0001' });
    expect(harness.slack.calls('views.open')).toHaveLength(0);
  });

  it('deletes the credentials on app_uninstalled, keeps the data, and stops serving the workspace', async () => {
    await install(TEAMS.acme.code);
    await install(TEAMS.globex.code);
    await openLogModalAs(TEAMS.acme);
    const workspace = await harness.debrief.database.prisma.workspace.upsert({
      where: { slackTeamId: TEAMS.acme.teamId },
      create: { slackTeamId: TEAMS.acme.teamId },
      update: {},
    });

    const uninstalled = { ...eventEnvelope({ type: 'app_uninstalled' }), team_id: TEAMS.acme.teamId, authorizations: [{ team_id: TEAMS.acme.teamId, enterprise_id: null, is_enterprise_install: false, is_bot: true, user_id: TEAMS.acme.botUserId }] };
    expect((await postEvent(harness.http, uninstalled)).status).toBe(200);

    const prisma = harness.debrief.database.prisma;
    // Events are acknowledged before they are handled: wait for the handler's last step.
    await waitFor(async () => (await prisma.slackInstallation.findUnique({ where: { installKey: `T:${TEAMS.acme.teamId}` } })) === null);
    await expect(prisma.slackInstallation.findUnique({ where: { installKey: `T:${TEAMS.globex.teamId}` } })).resolves.not.toBeNull();
    const kept = await prisma.workspace.findUnique({ where: { id: workspace.id } });
    expect(kept?.uninstalledAt).toBeInstanceOf(Date);

    const before = harness.slack.calls('views.open').length;
    await postCommand(harness.http, { command: '/losses', text: 'log', team_id: TEAMS.acme.teamId, user_id: 'U0REP0001' });
    expect(harness.slack.calls('views.open')).toHaveLength(before);

    // Reinstalling within the retention period brings the same workspace back.
    await install(TEAMS.acme.code);
    expect((await prisma.workspace.findUnique({ where: { id: workspace.id } }))?.uninstalledAt).toBeNull();
  });

  it('deletes the credentials when Slack revokes the bot token', async () => {
    await install(TEAMS.globex.code);
    const revoked = {
      ...eventEnvelope({ type: 'tokens_revoked', tokens: { bot: [TEAMS.globex.botUserId] } }),
      team_id: TEAMS.globex.teamId,
      authorizations: [{ team_id: TEAMS.globex.teamId, enterprise_id: null, is_enterprise_install: false, is_bot: true, user_id: TEAMS.globex.botUserId }],
    };
    expect((await postEvent(harness.http, revoked)).status).toBe(200);
    await waitFor(async () => (await harness.debrief.database.prisma.slackInstallation.count()) === 0);
  });
});
