import { CALLBACKS } from '../../src/slack/ids';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import type { ResponseBody } from '../helpers/fakeSlack';
import { installThroughOAuth, oauthHarnessOptions } from '../helpers/oauthInstalls';
import { REP, eventEnvelope, logFormState, viewSubmission } from '../helpers/payloads';
import { postEvent, postInteraction } from '../helpers/slackRequests';
import { waitFor } from '../helpers/wait';

// An Enterprise Grid org installs Debrief org-wide: one install ("E:<org>") serves every workspace
// of the org. Requests carry the org and Bolt finds its token; work outside requests (reminders
// here; digests and CRM intake share the same clients) must find it too, from the workspace alone.

const MONDAY_10_UTC = new Date('2026-11-23T10:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const ORG = { code: 'code-grid', enterpriseId: 'E0GRID001', name: 'Initech Grid', token: 'xoxb-grid-3333-SECRET', botUserId: 'U0BOTGRID' } as const;
const GRID_WORKSPACE = 'T0GRIDWS1';

function fakeClock(start: Date) {
  let current = start;
  return { now: () => current, set: (at: Date) => void (current = at) };
}

/** Slack's answers for an org-wide install: no team, the org, is_enterprise_install. */
function answerOrgInstall(harness: THarness): void {
  harness.slack.setResponse('oauth.v2.access', (args): ResponseBody => {
    if (args.code !== ORG.code) return { ok: false, error: 'invalid_code' };
    return {
      ok: true,
      app_id: 'A0TEST',
      access_token: ORG.token,
      token_type: 'bot',
      scope: 'chat:write,commands,im:write,users:read',
      bot_user_id: ORG.botUserId,
      team: null,
      enterprise: { id: ORG.enterpriseId, name: ORG.name },
      is_enterprise_install: true,
      authed_user: { id: 'U0ORGADMIN' },
    };
  });
  harness.slack.setResponse('auth.test', (_args, call): ResponseBody => {
    if (call.token !== ORG.token) return { ok: false, error: 'invalid_auth' };
    return { ok: true, enterprise_id: ORG.enterpriseId, user_id: ORG.botUserId, bot_id: 'B0BOTGRID', is_enterprise_install: true, url: 'https://initech.enterprise.slack.com/' };
  });
}

/** A view submission from a workspace of the org, as Slack sends it under an org-wide install. */
function fromOrgWorkspace(payload: Record<string, unknown>): Record<string, unknown> {
  return {
    ...payload,
    team: { id: GRID_WORKSPACE, domain: 'initech-sales', enterprise_id: ORG.enterpriseId },
    enterprise: { id: ORG.enterpriseId, name: ORG.name },
    is_enterprise_install: true,
    user: { id: REP, username: 'rep', team_id: GRID_WORKSPACE },
  };
}

describe.each(DATABASE_KINDS)('an org-wide Enterprise Grid install (%s)', (kind) => {
  const clock = fakeClock(MONDAY_10_UTC);
  let harness: THarness;

  beforeEach(async () => {
    clock.set(MONDAY_10_UTC);
    harness = await startHarness(kind, { ...oauthHarnessOptions(), now: clock.now });
    answerOrgInstall(harness);
    expect((await installThroughOAuth(harness, ORG.code)).status).toBe(200);
  });

  afterEach(async () => {
    await harness.stop();
  });

  async function logLossInOrgWorkspace(dealName: string): Promise<void> {
    const submission = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName }) });
    expect((await postInteraction(harness.http, fromOrgWorkspace(submission))).status).toBe(200);
    // The retro opens after the answer; its nudge is scheduled with it.
    await waitFor(async () => (await harness.debrief.database.prisma.scheduledJob.count({ where: { workspace: { slackTeamId: GRID_WORKSPACE } } })) > 0);
  }

  it("sends a workspace's reminders with the org's token, the workspace having no install of its own", async () => {
    const install = await harness.debrief.database.prisma.slackInstallation.findMany({ select: { installKey: true } });
    expect(install.map((row) => row.installKey)).toEqual([`E:${ORG.enterpriseId}`]);

    await logLossInOrgWorkspace('Grid loss');
    const workspace = await harness.debrief.database.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: GRID_WORKSPACE } });
    expect(workspace.enterpriseId).toBe(ORG.enterpriseId);

    clock.set(new Date(MONDAY_10_UTC.getTime() + DAY_MS));
    await harness.debrief.scheduler.tick();

    const nudge = harness.slack.calls('chat.postMessage').find((call) => String(call.args.text).startsWith('Reminder'));
    expect(nudge).toBeDefined();
    expect(nudge?.token).toBe(ORG.token);
  });

  it("skips the workspace's reminders once the org uninstalls, and starts its retention clock", async () => {
    await logLossInOrgWorkspace('Grid loss gone');
    const uninstalled = {
      ...eventEnvelope({ type: 'app_uninstalled' }),
      team_id: GRID_WORKSPACE,
      enterprise_id: ORG.enterpriseId,
      authorizations: [{ team_id: null, enterprise_id: ORG.enterpriseId, is_enterprise_install: true, is_bot: true }],
    };
    expect((await postEvent(harness.http, uninstalled)).status).toBe(200);
    const prisma = harness.debrief.database.prisma;
    await waitFor(async () => (await prisma.slackInstallation.count()) === 0);
    await waitFor(async () => (await prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: GRID_WORKSPACE } })).uninstalledAt !== null);

    clock.set(new Date(MONDAY_10_UTC.getTime() + DAY_MS));
    const postsBefore = harness.slack.calls('chat.postMessage').length;
    await harness.debrief.scheduler.tick();
    expect(harness.slack.calls('chat.postMessage').slice(postsBefore).filter((call) => String(call.args.text).startsWith('Reminder'))).toEqual([]);
  });
});
