import { CALLBACKS } from '../../src/slack/ids';
import { createSecretBox } from '../../src/lib/secretBox';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import type { ResponseBody } from '../helpers/fakeSlack';
import { installThroughOAuth, oauthHarnessOptions, OAUTH_TEAMS } from '../helpers/oauthInstalls';
import { REP, eventEnvelope, logFormState, viewSubmission } from '../helpers/payloads';
import { postEvent, postInteraction } from '../helpers/slackRequests';
import { waitFor } from '../helpers/wait';

// Work outside Slack requests (reminders here; intake and digests share the same clients) gets its
// token through Bolt's installer: a rotating token about to expire is refreshed and stored first.
// And the workspaces uninstalled longer ago than DATA_RETENTION_DAYS are purged by the scheduler.

const MONDAY_10_UTC = new Date('2026-11-23T10:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

function fakeClock(start: Date) {
  let current = start;
  return { now: () => current, set: (at: Date) => void (current = at) };
}

describe.each(DATABASE_KINDS)('background work with rotating tokens (%s)', (kind) => {
  const acme = OAUTH_TEAMS.acme;
  const clock = fakeClock(MONDAY_10_UTC);
  const oauth = oauthHarnessOptions();
  let harness: THarness;
  let issued: string[];

  beforeEach(async () => {
    clock.set(MONDAY_10_UTC);
    harness = await startHarness(kind, { ...oauth, now: clock.now });
    issued = [];
    // Every token Slack hands out lives one minute, well inside the installer's two-hour margin,
    // so each authorize refreshes it: the install's token, then one per refresh.
    harness.slack.setResponse('oauth.v2.access', (args): ResponseBody => {
      if (args.grant_type === 'refresh_token') {
        if (args.refresh_token !== 'xoxe-1-refresh-acme') return { ok: false, error: 'invalid_refresh_token' };
        const token = `xoxe.xoxb-acme-rotated-${issued.length + 1}`;
        issued.push(token);
        return { ok: true, app_id: 'A0TEST', access_token: token, refresh_token: 'xoxe-1-refresh-acme', expires_in: 60, token_type: 'bot', scope: 'chat:write', bot_user_id: acme.botUserId, team: { id: acme.teamId, name: acme.name } };
      }
      if (args.code !== acme.code) return { ok: false, error: 'invalid_code' };
      return {
        ok: true,
        app_id: 'A0TEST',
        access_token: acme.token,
        refresh_token: 'xoxe-1-refresh-acme',
        expires_in: 60,
        token_type: 'bot',
        scope: 'chat:write,commands,im:write',
        bot_user_id: acme.botUserId,
        team: { id: acme.teamId, name: acme.name },
        enterprise: null,
        is_enterprise_install: false,
        authed_user: { id: 'U0ADMIN01' },
      };
    });
    expect((await installThroughOAuth(harness, acme.code)).status).toBe(200);
  });

  afterEach(async () => {
    await harness.stop();
  });

  it('refreshes an expiring token before a reminder and stores the new one sealed', async () => {
    const submission = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName: 'Rotating loss' }) });
    await postInteraction(harness.http, { ...submission, team: { id: acme.teamId, domain: 'acme' }, user: { id: REP, username: 'rep', team_id: acme.teamId } });
    await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts !== undefined && String(call.args.text).includes('Rotating loss'));
    const refreshesForTheRequest = issued.length;
    expect(refreshesForTheRequest).toBeGreaterThanOrEqual(1);

    clock.set(new Date(MONDAY_10_UTC.getTime() + DAY_MS));
    await harness.debrief.scheduler.tick();

    const nudge = harness.slack.calls('chat.postMessage').find((call) => String(call.args.text).startsWith('Reminder'));
    expect(issued.length).toBeGreaterThan(refreshesForTheRequest);
    expect(nudge?.token).toBe(issued.at(-1));
    const refreshCalls = harness.slack.calls('oauth.v2.access').filter((call) => call.args.grant_type === 'refresh_token');
    expect(refreshCalls.every((call) => call.args.client_id === oauth.slack.oauth?.clientId)).toBe(true);

    const stored = await harness.debrief.database.prisma.slackInstallation.findUniqueOrThrow({ where: { installKey: `T:${acme.teamId}` } });
    expect(stored.sealedInstallation).not.toContain('xoxe');
    const [key] = oauth.encryptionKeys;
    const opened = JSON.parse(createSecretBox(key!, []).open(stored.sealedInstallation)) as { bot: { token: string; expiresAt: number } };
    expect(opened.bot.token).toBe(issued.at(-1));
  });
});

describe.each(DATABASE_KINDS)('data retention after an uninstall (%s)', (kind) => {
  const clock = fakeClock(MONDAY_10_UTC);
  let harness: THarness;

  beforeEach(async () => {
    clock.set(MONDAY_10_UTC);
    harness = await startHarness(kind, { now: clock.now });
  });

  afterEach(async () => {
    await harness.stop();
  });

  it('deletes a workspace DATA_RETENTION_DAYS (90) after its uninstall, and only that one', async () => {
    const prisma = harness.debrief.database.prisma;
    const leaving = await harness.debrief.repos.workspaces.ensure('T0LEAVING1');
    const staying = await harness.debrief.repos.workspaces.ensure('T0STAYING1');
    const uninstalled = { ...eventEnvelope({ type: 'app_uninstalled' }), team_id: 'T0LEAVING1', authorizations: [{ team_id: 'T0LEAVING1', enterprise_id: null, is_enterprise_install: false, is_bot: true }] };
    expect((await postEvent(harness.http, uninstalled)).status).toBe(200);
    // Events are acknowledged before they are handled: wait for the handler.
    await waitFor(async () => (await prisma.workspace.findUniqueOrThrow({ where: { id: leaving.id } })).uninstalledAt !== null);
    expect((await prisma.workspace.findUniqueOrThrow({ where: { id: leaving.id } })).uninstalledAt).toEqual(MONDAY_10_UTC);

    clock.set(new Date(MONDAY_10_UTC.getTime() + 89 * DAY_MS));
    await harness.debrief.scheduler.tick();
    expect(await prisma.workspace.count({ where: { id: leaving.id } })).toBe(1);

    clock.set(new Date(MONDAY_10_UTC.getTime() + 91 * DAY_MS));
    await harness.debrief.scheduler.tick();
    expect(await prisma.workspace.count({ where: { id: leaving.id } })).toBe(0);
    expect(await prisma.workspace.count({ where: { id: staying.id } })).toBe(1);
  });
});
