import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModalView } from '@slack/types';
import { CALLBACKS, CRM_CONNECTION_ACTIONS, CRM_CONNECTION_INPUTS } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { settle } from '../helpers/crmIntake';
import { postWebhook, type TCrmResponse } from '../helpers/crmRequests';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import type { ResponseBody } from '../helpers/fakeSlack';
import { fromTeam, installTeams, oauthHarnessOptions, OAUTH_TEAMS, type TOAuthTeam } from '../helpers/oauthInstalls';
import { blockAction, stateFor, text, viewSubmission } from '../helpers/payloads';
import { postCommand, postInteraction } from '../helpers/slackRequests';

// Each workspace makes its own generic-webhook connection in /losses settings: the URL names the
// workspace, the connection's secret (shown once, stored sealed) signs deliveries, and revoking it
// closes the URL. Losses sent to one workspace's URL never reach another.

const GENERIC = JSON.parse(readFileSync(join(__dirname, '../fixtures/crm/generic-lost.json'), 'utf8')) as Record<string, unknown>;
const { acme, globex } = OAUTH_TEAMS;
const ADMINS = new Set(['U0ACMEADM1', 'U0GLBXADM1']);
const ACME_ADMIN = 'U0ACMEADM1';
const GLOBEX_ADMIN = 'U0GLBXADM1';
const ACME_REP = 'U0ACMEREP1';
const RETROS = { [acme.teamId]: 'C0ACMERET1', [globex.teamId]: 'C0GLBXRET1' };

/** Signed as docs/crm/generic.md says, independently of Debrief's own code. */
function deliver(harness: THarness, path: string, body: object, secret: string): Promise<TCrmResponse> {
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${raw}`, 'utf8').digest('hex');
  return postWebhook(harness.http.baseUrl, path, raw, { 'content-type': 'application/json', 'x-debrief-timestamp': timestamp, 'x-debrief-signature': `v1=${signature}` });
}

describe.each(DATABASE_KINDS)('per-workspace CRM connections (%s)', (kind) => {
  let harness: THarness;

  beforeEach(async () => {
    harness = await startHarness(kind, { ...oauthHarnessOptions(), retroChannelId: undefined, managers: { userIds: [] }, crm: { publicUrl: 'https://debrief.example.com' } });
    await installTeams(harness, [acme, globex]);
    harness.slack.setResponse('users.info', (args): ResponseBody => ({ ok: true, user: { id: args.user, is_admin: ADMINS.has(String(args.user)), deleted: false } }));
    // Each workspace has chosen its retro channel already.
    for (const team of [acme, globex]) {
      const workspace = await harness.debrief.repos.workspaces.ensure(team.teamId);
      await harness.debrief.database.prisma.workspace.update({ where: { id: workspace.id }, data: { retroChannelId: RETROS[team.teamId] } });
    }
  });

  afterEach(async () => {
    await harness.stop();
  });

  /** Presses a button inside a modal, as `userId` of `team`. */
  async function pressInModal(team: TOAuthTeam, userId: string, actionId: string, value: string, viewId = 'V0SETTINGS') {
    const action = { ...blockAction({ actionId, value, userId }), container: { type: 'view', view_id: viewId }, view: { id: viewId, hash: '1.abc', callback_id: CALLBACKS.workspaceSettingsModal } };
    await postInteraction(harness.http, fromTeam(action, team.teamId, userId));
  }

  /** Settings > Manage > Add a connection > name it: the view that shows the URL and secret. */
  async function createConnection(team: TOAuthTeam, adminId: string, label: string): Promise<{ path: string; secret: string; view: ModalView }> {
    const pushesBefore = harness.slack.calls('views.push').length;
    await pressInModal(team, adminId, CRM_CONNECTION_ACTIONS.manage, 'manage');
    await harness.slack.waitForCall('views.push', () => harness.slack.calls('views.push').length > pushesBefore);
    await pressInModal(team, adminId, CRM_CONNECTION_ACTIONS.add, 'add', 'V0LIST');
    const form = await harness.slack.waitForCall('views.push', () => harness.slack.calls('views.push').length > pushesBefore + 1);
    const formView = form.args.view as ModalView;
    assertWithinSlackLimits(formView);
    const submission = viewSubmission({ callbackId: CALLBACKS.newCrmConnectionModal, privateMetadata: formView.private_metadata, values: stateFor([[CRM_CONNECTION_INPUTS.label, text(label)]]) });
    const answer = await postInteraction(harness.http, fromTeam(submission, team.teamId, adminId));
    const { response_action: responseAction, view } = answer.json as { response_action: string; view: ModalView };
    expect(responseAction).toBe('update');
    assertWithinSlackLimits(view);
    const shown = JSON.stringify(view.blocks);
    const url = /`(https:\/\/debrief\.example\.com\/webhooks\/generic\/[0-9a-f-]{36})`/.exec(shown)![1]!;
    const secret = /`([0-9a-f]{64})`/.exec(shown)![1]!;
    return { path: new URL(url).pathname, secret, view };
  }

  it('opens losses in the workspace whose URL they are sent to, signed with that connection\u2019s secret', async () => {
    const acmeConnection = await createConnection(acme, ACME_ADMIN, 'Zapier from HubSpot EU');
    const globexConnection = await createConnection(globex, GLOBEX_ADMIN, 'n8n');
    expect(JSON.stringify(acmeConnection.view.blocks)).toContain('shown only this once');

    // Stored sealed: the secret is nowhere in the table in clear.
    const rows = await harness.debrief.database.prisma.$queryRawUnsafe<Array<{ sealed_credentials: string }>>('SELECT sealed_credentials FROM crm_connections');
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.sealed_credentials).toMatch(/^v1\./);
      expect(row.sealed_credentials).not.toContain(acmeConnection.secret);
    }

    const accepted = await deliver(harness, acmeConnection.path, { ...GENERIC, dealId: 'ACME-1', name: 'Acme via connection' }, acmeConnection.secret);
    expect(accepted.status).toBe(200);
    await settle(harness);
    const parent = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === undefined && JSON.stringify(call.args).includes('Acme via connection'));
    expect(parent).toMatchObject({ token: acme.token, args: { channel: RETROS[acme.teamId] } });

    // Globex's URL with Acme's secret, and an unknown connection, are refused; nothing opens.
    expect((await deliver(harness, globexConnection.path, { ...GENERIC, dealId: 'X-1', name: 'Cross-posted' }, acmeConnection.secret)).status).toBe(401);
    expect((await deliver(harness, '/webhooks/generic/00000000-0000-4000-8000-000000000000', { ...GENERIC, dealId: 'X-2' }, acmeConnection.secret)).status).toBe(404);
    expect((await deliver(harness, '/webhooks/generic/not-a-uuid', { ...GENERIC, dealId: 'X-3' }, acmeConnection.secret)).status).toBe(404);
    // The deployment-wide generic webhook is not configured: a workspace connection does not open it.
    expect((await deliver(harness, '/webhooks/generic', { ...GENERIC, dealId: 'X-4' }, acmeConnection.secret)).status).toBe(404);

    const globexLoss = await deliver(harness, globexConnection.path, { ...GENERIC, dealId: 'GLOBEX-1', name: 'Globex via connection' }, globexConnection.secret);
    expect(globexLoss.status).toBe(200);
    await settle(harness);
    const deals = await harness.debrief.database.prisma.deal.findMany({ select: { name: true, workspace: { select: { slackTeamId: true } } }, orderBy: { name: 'asc' } });
    expect(deals).toEqual([
      { name: 'Acme via connection', workspace: { slackTeamId: acme.teamId } },
      { name: 'Globex via connection', workspace: { slackTeamId: globex.teamId } },
    ]);
  });

  it('closes the URL when revoked, and only its own workspace can revoke it', async () => {
    const acmeConnection = await createConnection(acme, ACME_ADMIN, 'Make');
    const connectionId = acmeConnection.path.split('/').at(-1)!;

    // Globex's admin presses "Revoke" with Acme's connection id: nothing changes.
    await pressInModal(globex, GLOBEX_ADMIN, CRM_CONNECTION_ACTIONS.revoke, connectionId, 'V0LIST');
    await harness.slack.waitForCall('views.update', (call) => call.token === globex.token && JSON.stringify(call.args.view).includes('already revoked'));
    expect((await deliver(harness, acmeConnection.path, { ...GENERIC, dealId: 'A-1' }, acmeConnection.secret)).status).toBe(200);

    await pressInModal(acme, ACME_ADMIN, CRM_CONNECTION_ACTIONS.revoke, connectionId, 'V0LIST');
    await harness.slack.waitForCall('views.update', (call) => call.token === acme.token && JSON.stringify(call.args.view).includes('Revoked'));
    expect((await deliver(harness, acmeConnection.path, { ...GENERIC, dealId: 'A-2' }, acmeConnection.secret)).status).toBe(404);
    await settle(harness);
  });

  it('lets only admins and managers manage connections', async () => {
    await pressInModal(acme, ACME_REP, CRM_CONNECTION_ACTIONS.manage, 'manage');
    const pushed = await harness.slack.waitForCall('views.push');
    expect(JSON.stringify((pushed.args.view as ModalView).blocks)).toContain('Only workspace admins');

    const submission = viewSubmission({ callbackId: CALLBACKS.newCrmConnectionModal, privateMetadata: '{}', values: stateFor([[CRM_CONNECTION_INPUTS.label, text('Sneaky')]]) });
    const answer = await postInteraction(harness.http, fromTeam(submission, acme.teamId, ACME_REP));
    expect(answer.json).toMatchObject({ response_action: 'errors', errors: { [CRM_CONNECTION_INPUTS.label.block]: expect.stringContaining('Only workspace admins') } });
    expect(await harness.debrief.database.prisma.crmConnection.count()).toBe(0);
  });

  it('shows the Manage button in /losses settings', async () => {
    await postCommand(harness.http, { command: '/losses', text: 'settings', team_id: acme.teamId, user_id: ACME_ADMIN, response_url: harness.slack.responseUrl() });
    const opened = await harness.slack.waitForCall('views.open');
    expect(JSON.stringify((opened.args.view as ModalView).blocks)).toContain(CRM_CONNECTION_ACTIONS.manage);
  });
});
