import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModalView } from '@slack/types';
import { CALLBACKS, CRM_CONNECTION_ACTIONS, CRM_CONNECTION_ADD_ACTIONS, CRM_CONNECTION_INPUTS } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { settle } from '../helpers/crmIntake';
import { hubSpotSignature, postWebhook, type TCrmResponse } from '../helpers/crmRequests';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import { FakeHubSpot } from '../helpers/fakeHubSpot';
import type { ResponseBody } from '../helpers/fakeSlack';
import { fromTeam, installTeams, oauthHarnessOptions, OAUTH_TEAMS, type TOAuthTeam } from '../helpers/oauthInstalls';
import { blockAction, stateFor, text, viewSubmission } from '../helpers/payloads';
import { postInteraction } from '../helpers/slackRequests';
import type { TInputId, TInputState } from '../../src/slack/parsers/viewState';

// HubSpot, Salesforce and Pipedrive connections made in /losses settings, one workspace each:
// every URL names its connection, only that connection's credentials open it, losses land in
// its workspace alone, and the credentials are stored sealed and shown at most once.

const fixtures = join(__dirname, '../fixtures/crm');
const HUBSPOT_DEAL = JSON.parse(readFileSync(join(fixtures, 'hubspot-deal.json'), 'utf8')) as { id: string; properties: Record<string, string | null> };
const FLOW = JSON.parse(readFileSync(join(fixtures, 'salesforce-flow-callout.json'), 'utf8')) as Record<string, unknown>;
const OUTBOUND = readFileSync(join(fixtures, 'salesforce-outbound-message.xml'), 'utf8');
const OUTBOUND_ORG_ID = '00D5g000004ZkPbEAK';
const PIPEDRIVE_V2 = JSON.parse(readFileSync(join(fixtures, 'pipedrive-v2-deal-lost.json'), 'utf8')) as { meta: Record<string, unknown>; data: Record<string, unknown> };

const PUBLIC_URL = 'https://debrief.example.com';
const { acme, globex } = OAUTH_TEAMS;
const ADMIN: Record<string, string> = { [acme.teamId]: 'U0ACMEADM1', [globex.teamId]: 'U0GLBXADM1' };
const RETROS: Record<string, string> = { [acme.teamId]: 'C0ACMERET1', [globex.teamId]: 'C0GLBXRET1' };
const HUBSPOT_APPS: Record<string, { clientSecret: string; accessToken: string }> = {
  [acme.teamId]: { clientSecret: 'acme-hubspot-client-secret-1a2b3c4d', accessToken: 'pat-eu1-acme0000-1111-2222-3333-444455556666' },
  [globex.teamId]: { clientSecret: 'globex-hubspot-client-secret-9f8e7d6c', accessToken: 'pat-na1-glbx0000-1111-2222-3333-444455556666' },
};

type TKind = keyof typeof CRM_CONNECTION_ADD_ACTIONS;
type TCreated = { path: string; shown: string; view: ModalView };

function hubSpotBatch(dealId: string, occurredAt: number): string {
  return JSON.stringify([
    { eventId: occurredAt, subscriptionId: 1, portalId: 62515, appId: 1, occurredAt, subscriptionType: 'deal.propertyChange', attemptNumber: 0, objectId: Number(dealId), propertyName: 'dealstage', propertyValue: 'closedlost' },
  ]);
}

/** Signed as HubSpot's "Validating requests" says, over the connection's own public URL. */
function postHubSpotTo(harness: THarness, path: string, body: string, clientSecret: string): Promise<TCrmResponse> {
  const timestamp = Date.now();
  return postWebhook(harness.http.baseUrl, path, body, {
    'content-type': 'application/json',
    'x-hubspot-signature-v3': hubSpotSignature(clientSecret, `${PUBLIC_URL}${path}`, body, timestamp),
    'x-hubspot-request-timestamp': String(timestamp),
  });
}

function postFlowTo(harness: THarness, path: string, body: object, secret: string): Promise<TCrmResponse> {
  return postWebhook(harness.http.baseUrl, path, JSON.stringify(body), { 'content-type': 'application/json', 'x-debrief-secret': secret });
}

function postPipedriveTo(harness: THarness, path: string, dealId: number, credentials: { user: string; password: string }): Promise<TCrmResponse> {
  const body = { ...PIPEDRIVE_V2, meta: { ...PIPEDRIVE_V2.meta, entity_id: String(dealId) }, data: { ...PIPEDRIVE_V2.data, id: dealId, title: `Pipedrive deal ${dealId}` } };
  return postWebhook(harness.http.baseUrl, path, JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`,
  });
}

/** The workspace each stored deal belongs to, by name. */
async function dealsByWorkspace(harness: THarness): Promise<Array<{ name: string; team: string }>> {
  const deals = await harness.debrief.database.prisma.deal.findMany({ select: { name: true, workspace: { select: { slackTeamId: true } } }, orderBy: { name: 'asc' } });
  return deals.map((deal) => ({ name: deal.name, team: deal.workspace.slackTeamId }));
}

describe.each(DATABASE_KINDS)('HubSpot, Salesforce and Pipedrive connections per workspace (%s)', (kind) => {
  let harness: THarness;
  let hubspot: FakeHubSpot;

  beforeAll(async () => {
    hubspot = await FakeHubSpot.start();
    for (const app of Object.values(HUBSPOT_APPS)) hubspot.allowToken(app.accessToken);
  });
  afterAll(async () => {
    await hubspot.stop();
  });

  beforeEach(async () => {
    harness = await startHarness(kind, {
      ...oauthHarnessOptions(),
      retroChannelId: undefined,
      managers: { userIds: [] },
      crm: {
        publicUrl: PUBLIC_URL,
        connectionDefaults: { hubspotApiUrl: hubspot.url, hubspotLostStageIds: ['closedlost'], hubspotCompetitorProperty: undefined, salesforceLostStages: ['Closed Lost'], pipedriveCompetitorField: undefined },
      },
    });
    await installTeams(harness, [acme, globex]);
    const admins = new Set(Object.values(ADMIN));
    harness.slack.setResponse('users.info', (args): ResponseBody => ({ ok: true, user: { id: args.user, is_admin: admins.has(String(args.user)), deleted: false } }));
    for (const team of [acme, globex]) {
      const workspace = await harness.debrief.repos.workspaces.ensure(team.teamId);
      await harness.debrief.database.prisma.workspace.update({ where: { id: workspace.id }, data: { retroChannelId: RETROS[team.teamId] } });
    }
    hubspot.reset();
  });

  afterEach(async () => {
    await settle(harness);
    await harness.stop();
  });

  async function pressInModal(team: TOAuthTeam, actionId: string, value: string, viewId: string) {
    const action = { ...blockAction({ actionId, value, userId: ADMIN[team.teamId] }), container: { type: 'view', view_id: viewId }, view: { id: viewId, hash: '1.abc', callback_id: CALLBACKS.crmConnectionsModal } };
    await postInteraction(harness.http, fromTeam(action, team.teamId, ADMIN[team.teamId]!));
  }

  /** Manage > "Add <kind>": the form Slack is asked to push. */
  async function openForm(team: TOAuthTeam, connectionKind: TKind): Promise<ModalView> {
    const pushesBefore = harness.slack.calls('views.push').length;
    await pressInModal(team, CRM_CONNECTION_ACTIONS.manage, 'manage', 'V0SETTINGS');
    const list = await harness.slack.waitForCall('views.push', () => harness.slack.calls('views.push').length > pushesBefore);
    const listView = list.args.view as ModalView;
    assertWithinSlackLimits(listView);
    expect(JSON.stringify(listView.blocks)).toContain(CRM_CONNECTION_ADD_ACTIONS[connectionKind]);
    await pressInModal(team, CRM_CONNECTION_ADD_ACTIONS[connectionKind], connectionKind, 'V0LIST');
    const form = await harness.slack.waitForCall('views.push', () => harness.slack.calls('views.push').length > pushesBefore + 1);
    const formView = form.args.view as ModalView;
    assertWithinSlackLimits(formView);
    return formView;
  }

  function submit(team: TOAuthTeam, formView: ModalView, fields: Array<[TInputId, TInputState]>, callbackId: string = CALLBACKS.newCrmConnectionModal) {
    const submission = viewSubmission({ callbackId, privateMetadata: formView.private_metadata, values: stateFor(fields) });
    return postInteraction(harness.http, fromTeam(submission, team.teamId, ADMIN[team.teamId]!));
  }

  async function createConnection(team: TOAuthTeam, connectionKind: TKind, fields: Array<[TInputId, TInputState]> = []): Promise<TCreated> {
    const formView = await openForm(team, connectionKind);
    const answer = await submit(team, formView, [[CRM_CONNECTION_INPUTS.label, text(`${team.name} ${connectionKind}`)], ...fields]);
    const { response_action: responseAction, view } = answer.json as { response_action: string; view: ModalView };
    expect(responseAction).toBe('update');
    assertWithinSlackLimits(view);
    const shown = JSON.stringify(view.blocks);
    const url = new RegExp(`\`(${PUBLIC_URL.replace(/\./g, '\\.')}/webhooks/${connectionKind}/[0-9a-f-]{36})\``).exec(shown)?.[1];
    if (!url) throw new Error(`No ${connectionKind} URL in ${shown}`);
    return { path: new URL(url).pathname, shown, view };
  }

  async function rawRows(): Promise<Array<{ source: string; sealed_signing_secret: string | null; sealed_credentials: string | null }>> {
    return harness.debrief.database.prisma.$queryRawUnsafe('SELECT source::text AS source, sealed_signing_secret, sealed_credentials FROM crm_connections');
  }

  it('HubSpot: the pasted client secret verifies, the pasted token reads the deal, in that workspace only; never shown again', async () => {
    // Inline validation: the token pasted as the secret, and the secret as the token.
    const form = await openForm(acme, 'hubspot');
    const swapped = await submit(acme, form, [
      [CRM_CONNECTION_INPUTS.label, text('HubSpot EU')],
      [CRM_CONNECTION_INPUTS.hubspotClientSecret, text(HUBSPOT_APPS[acme.teamId]!.accessToken)],
      [CRM_CONNECTION_INPUTS.hubspotAccessToken, text(HUBSPOT_APPS[acme.teamId]!.clientSecret)],
    ]);
    expect(swapped.json).toEqual({
      response_action: 'errors',
      errors: { [CRM_CONNECTION_INPUTS.hubspotClientSecret.block]: expect.stringContaining('access token'), [CRM_CONNECTION_INPUTS.hubspotAccessToken.block]: expect.stringContaining('pat-') },
    });

    const hubspotFields = (team: TOAuthTeam): Array<[TInputId, TInputState]> => [
      [CRM_CONNECTION_INPUTS.hubspotClientSecret, text(` ${HUBSPOT_APPS[team.teamId]!.clientSecret} `)],
      [CRM_CONNECTION_INPUTS.hubspotAccessToken, text(HUBSPOT_APPS[team.teamId]!.accessToken)],
    ];
    const acmeConnection = await createConnection(acme, 'hubspot', hubspotFields(acme));
    const globexConnection = await createConnection(globex, 'hubspot', hubspotFields(globex));
    for (const created of [acmeConnection, globexConnection]) {
      for (const app of Object.values(HUBSPOT_APPS)) {
        expect(created.shown).not.toContain(app.clientSecret);
        expect(created.shown).not.toContain(app.accessToken);
      }
    }
    // Sealed at rest: neither value is anywhere in the table in clear.
    const rows = await rawRows();
    expect(rows.map((row) => row.source)).toEqual(['hubspot', 'hubspot']);
    for (const row of rows) {
      expect(row.sealed_signing_secret).toBeNull();
      expect(row.sealed_credentials).toMatch(/^v1\./);
      for (const app of Object.values(HUBSPOT_APPS)) expect(row.sealed_credentials).not.toContain(app.clientSecret);
    }

    const dealId = '51000000001';
    hubspot.setDeal({ ...HUBSPOT_DEAL, id: dealId, properties: { ...HUBSPOT_DEAL.properties, dealname: 'Acme HubSpot loss', dealstage: 'closedlost' } });
    const batch = hubSpotBatch(dealId, Date.now());
    // Acme's client secret on Globex's URL, and on the deployment-wide route (not configured), are refused.
    expect((await postHubSpotTo(harness, globexConnection.path, batch, HUBSPOT_APPS[acme.teamId]!.clientSecret)).status).toBe(401);
    expect((await postHubSpotTo(harness, '/webhooks/hubspot', batch, HUBSPOT_APPS[acme.teamId]!.clientSecret)).status).toBe(404);

    expect((await postHubSpotTo(harness, acmeConnection.path, batch, HUBSPOT_APPS[acme.teamId]!.clientSecret)).status).toBe(200);
    await settle(harness);
    // HubSpot retries: still one retro.
    expect((await postHubSpotTo(harness, acmeConnection.path, batch, HUBSPOT_APPS[acme.teamId]!.clientSecret)).status).toBe(200);
    await settle(harness);
    const parent = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts === undefined && JSON.stringify(call.args).includes('Acme HubSpot loss'));
    expect(parent).toMatchObject({ token: acme.token, args: { channel: RETROS[acme.teamId] } });
    expect(hubspot.calls().filter((call) => call.path.includes(dealId)).map((call) => call.authorization)).toEqual([
      `Bearer ${HUBSPOT_APPS[acme.teamId]!.accessToken}`,
      `Bearer ${HUBSPOT_APPS[acme.teamId]!.accessToken}`,
    ]);
    expect(await dealsByWorkspace(harness)).toEqual([{ name: 'Acme HubSpot loss', team: acme.teamId }]);
    expect(await harness.debrief.database.prisma.retro.count()).toBe(1);

    // "Replace credentials": the old client secret stops working, the new one works; the URL stays.
    const connectionId = acmeConnection.path.split('/').at(-1)!;
    await pressInModal(acme, CRM_CONNECTION_ACTIONS.replace, connectionId, 'V0LIST');
    const replaceForm = await harness.slack.waitForCall('views.push', (call) => (call.args.view as ModalView).callback_id === CALLBACKS.replaceCrmCredentialsModal);
    assertWithinSlackLimits(replaceForm.args.view as ModalView);
    const rotated = { clientSecret: 'acme-hubspot-rotated-secret-5e6f7a8b', accessToken: HUBSPOT_APPS[acme.teamId]!.accessToken };
    const replaced = await submit(acme, replaceForm.args.view as ModalView, [
      [CRM_CONNECTION_INPUTS.hubspotClientSecret, text(rotated.clientSecret)],
      [CRM_CONNECTION_INPUTS.hubspotAccessToken, text(rotated.accessToken)],
    ], CALLBACKS.replaceCrmCredentialsModal);
    expect(replaced.json).toEqual({ response_action: 'clear' });
    const nextBatch = hubSpotBatch('51000000002', Date.now());
    hubspot.setDeal({ ...HUBSPOT_DEAL, id: '51000000002', properties: { ...HUBSPOT_DEAL.properties, dealname: 'Acme after rotation', dealstage: 'closedlost' } });
    expect((await postHubSpotTo(harness, acmeConnection.path, nextBatch, HUBSPOT_APPS[acme.teamId]!.clientSecret)).status).toBe(401);
    expect((await postHubSpotTo(harness, acmeConnection.path, nextBatch, rotated.clientSecret)).status).toBe(200);
    // Globex cannot replace Acme's credentials with its own connection id trick.
    const sneaky = await submit(globex, { ...(replaceForm.args.view as ModalView) }, [
      [CRM_CONNECTION_INPUTS.hubspotClientSecret, text('globex-takes-over-acme-secret-00000')],
      [CRM_CONNECTION_INPUTS.hubspotAccessToken, text(rotated.accessToken)],
    ], CALLBACKS.replaceCrmCredentialsModal);
    expect(sneaky.json).toMatchObject({ response_action: 'errors' });
    expect((await postHubSpotTo(harness, acmeConnection.path, hubSpotBatch('51000000002', Date.now()), rotated.clientSecret)).status).toBe(200);
  });

  it('Salesforce: the generated Flow secret is shown once and works on its own URL only; Outbound Messages need the org id', async () => {
    const form = await openForm(acme, 'salesforce');
    const badOrg = await submit(acme, form, [[CRM_CONNECTION_INPUTS.label, text('SFDC')], [CRM_CONNECTION_INPUTS.salesforceOrgId, text('00X123')]]);
    expect(badOrg.json).toEqual({ response_action: 'errors', errors: { [CRM_CONNECTION_INPUTS.salesforceOrgId.block]: expect.stringContaining('00D') } });

    const acmeConnection = await createConnection(acme, 'salesforce', [[CRM_CONNECTION_INPUTS.salesforceOrgId, text(OUTBOUND_ORG_ID)]]);
    const globexConnection = await createConnection(globex, 'salesforce');
    expect(acmeConnection.shown).toContain('shown only this once');
    const secretOf = (created: TCreated) => /`([0-9a-f]{64})`/.exec(created.shown)![1]!;
    const [acmeSecret, globexSecret] = [secretOf(acmeConnection), secretOf(globexConnection)];
    for (const row of await rawRows()) {
      expect(row.sealed_credentials).not.toContain(acmeSecret);
      expect(row.sealed_credentials).not.toContain(globexSecret);
      expect(row.sealed_credentials).not.toContain(OUTBOUND_ORG_ID);
    }

    expect((await postFlowTo(harness, globexConnection.path, { ...FLOW, opportunityId: '0065g00000XyZ99AAB', name: 'Cross-posted' }, acmeSecret)).status).toBe(401);
    expect((await postFlowTo(harness, acmeConnection.path, { ...FLOW, name: 'Acme Flow loss' }, acmeSecret)).status).toBe(200);
    expect((await postFlowTo(harness, acmeConnection.path, { ...FLOW, name: 'Acme Flow loss' }, acmeSecret)).status).toBe(200);
    expect((await postFlowTo(harness, globexConnection.path, { ...FLOW, name: 'Globex Flow loss' }, globexSecret)).status).toBe(200);
    await settle(harness);
    // The same opportunity id in two workspaces is two losses, one in each.
    expect(await dealsByWorkspace(harness)).toEqual([
      { name: 'Acme Flow loss', team: acme.teamId },
      { name: 'Globex Flow loss', team: globex.teamId },
    ]);

    const soap = { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' };
    const outbound = await postWebhook(harness.http.baseUrl, acmeConnection.path, OUTBOUND, soap);
    await settle(harness);
    const outboundLoss = await postWebhook(harness.http.baseUrl, acmeConnection.path, OUTBOUND.replace(/0065g00000XyZ12AAB/g, '0065g00000XyZ56AAB').replace('Northwind &amp; Co', 'Acme Outbound'), soap);
    expect(outboundLoss.status).toBe(200);
    expect(outbound.status).toBe(200);
    expect(outbound.body).toContain('<Ack>true</Ack>');
    const flowOnly = await postWebhook(harness.http.baseUrl, globexConnection.path, OUTBOUND, soap);
    expect(flowOnly.status).toBe(404);
    await settle(harness);
    // The first Outbound Message reports the opportunity the Flow did (Acme's retro is already open);
    // the second a new one, opened in Acme only.
    expect(await dealsByWorkspace(harness)).toEqual([
      { name: 'Acme Flow loss', team: acme.teamId },
      { name: 'Acme Outbound \u2013 platform renewal', team: acme.teamId },
      { name: 'Globex Flow loss', team: globex.teamId },
    ]);
    expect(await harness.debrief.database.prisma.retro.count()).toBe(3);
  });

  it('Pipedrive: the generated Basic-auth pair works on its own URL only, and revoking closes it', async () => {
    const acmeConnection = await createConnection(acme, 'pipedrive');
    const globexConnection = await createConnection(globex, 'pipedrive');
    const pairOf = (created: TCreated) => {
      const [user, password] = [...created.shown.matchAll(/`([^`]+)`/g)].map((match) => match[1]!).slice(1, 3);
      return { user: user!, password: password! };
    };
    const [acmePair, globexPair] = [pairOf(acmeConnection), pairOf(globexConnection)];
    expect(acmePair.user).toMatch(/^debrief-[0-9a-f]{8}$/);
    expect(acmePair.password).toMatch(/^[0-9a-f]{48}$/);
    for (const row of await rawRows()) expect(row.sealed_credentials).not.toContain(acmePair.password);

    expect((await postPipedriveTo(harness, globexConnection.path, 7001, acmePair)).status).toBe(401);
    expect((await postPipedriveTo(harness, acmeConnection.path, 7001, { ...acmePair, password: 'wrong-password-000000' })).status).toBe(401);
    expect((await postPipedriveTo(harness, acmeConnection.path, 7001, acmePair)).status).toBe(200);
    expect((await postPipedriveTo(harness, acmeConnection.path, 7001, acmePair)).status).toBe(200);
    expect((await postPipedriveTo(harness, globexConnection.path, 7002, globexPair)).status).toBe(200);
    await settle(harness);
    expect(await dealsByWorkspace(harness)).toEqual([
      { name: 'Pipedrive deal 7001', team: acme.teamId },
      { name: 'Pipedrive deal 7002', team: globex.teamId },
    ]);
    expect(await harness.debrief.database.prisma.retro.count()).toBe(2);

    // A Pipedrive connection's id does not open another kind's route.
    expect((await postFlowTo(harness, acmeConnection.path.replace('pipedrive', 'salesforce'), FLOW, acmePair.password)).status).toBe(404);

    await pressInModal(acme, CRM_CONNECTION_ACTIONS.revoke, acmeConnection.path.split('/').at(-1)!, 'V0LIST');
    await harness.slack.waitForCall('views.update', (call) => call.token === acme.token && JSON.stringify(call.args.view).includes('Revoked'));
    expect((await postPipedriveTo(harness, acmeConnection.path, 7003, acmePair)).status).toBe(404);
    expect((await postPipedriveTo(harness, globexConnection.path, 7004, globexPair)).status).toBe(200);
  });
});
