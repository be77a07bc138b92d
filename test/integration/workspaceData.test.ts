import type { ModalView } from '@slack/types';
import { WORKSPACE_DATA_SECTIONS } from '../../src/repositories/workspaceData';
import { WORKSPACE_EXPORT_FORMAT } from '../../src/services/workspaceData';
import { CALLBACKS, COMMANDS, WORKSPACE_DATA_DELETE_INPUTS } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import { FAKE_TEAM_ID } from '../helpers/fakeSlack';
import { MANAGER, REP, stateFor, text, viewSubmission } from '../helpers/payloads';
import { postCommand, postInteraction } from '../helpers/slackRequests';
import { waitFor } from '../helpers/wait';
import { SEEDED_SECRET, seedWorkspaceData, type TSeededWorkspace } from '../helpers/workspaceDataSeed';

// `/losses data export` and `/losses data delete` through signed Slack requests: the manager gets
// the whole workspace as JSON in a DM; a delete needs the workspace's domain typed, then wipes this
// workspace and nothing of another one sharing the database.

const OTHER_TEAM = 'T0OTHERWS';

describe.each(DATABASE_KINDS)('a workspace data export and delete (%s)', (kind) => {
  let harness: THarness;
  let ours: TSeededWorkspace;

  beforeEach(async () => {
    harness = await startHarness(kind);
    ours = await seedWorkspaceData(harness.debrief.database.prisma, FAKE_TEAM_ID, 'ours');
    await seedWorkspaceData(harness.debrief.database.prisma, OTHER_TEAM, 'theirs');
  });

  afterEach(async () => {
    await harness.stop();
  });

  async function command(textTyped: string, userId: string) {
    const responseUrl = harness.slack.responseUrl();
    const response = await postCommand(harness.http, { command: COMMANDS.losses, text: textTyped, user_id: userId, response_url: responseUrl });
    expect(response.status).toBe(200);
    return { response, answered: () => harness.slack.waitForCall('response_url', (call) => call.path === new URL(responseUrl).pathname) };
  }

  it("uploads the workspace's data as parseable JSON to the manager's DM, with nothing of another workspace", async () => {
    const { response, answered } = await command('data export', MANAGER);
    expect(response.json).toMatchObject({ response_type: 'ephemeral' });
    expect(String((await answered()).args.text)).toContain("Sent this workspace's Debrief data to your DMs");

    const complete = await harness.slack.waitForCall('files.completeUploadExternal');
    expect(complete.args.channel_id).toBe(`D${MANAGER}`);
    const [upload] = harness.slack.uploads();
    const body = upload!.bytes.toString('utf-8');
    const document = JSON.parse(body) as Record<string, unknown>;
    expect(document).toMatchObject({ format: WORKSPACE_EXPORT_FORMAT, version: 1, workspace: { slackTeamId: FAKE_TEAM_ID } });
    for (const section of WORKSPACE_DATA_SECTIONS) expect([section, (document[section] as unknown[]).length]).toEqual([section, 1]);
    expect(body).not.toContain('theirs');
    expect(body).not.toContain(SEEDED_SECRET('ours'));
  });

  it('refuses the export and the delete to someone who is neither admin nor manager', async () => {
    const exportAttempt = await command('data export', REP);
    expect(String((await exportAttempt.answered()).args.text)).toContain("Only workspace admins and Debrief's managers");
    const deleteAttempt = await command('data delete', REP);
    expect(String((await deleteAttempt.answered()).args.text)).toContain("Only workspace admins and Debrief's managers");
    expect(harness.slack.calls('files.getUploadURLExternal')).toHaveLength(0);
    expect(harness.slack.calls('views.open')).toHaveLength(0);
  });

  async function openDeleteModal(): Promise<ModalView> {
    await command('data delete', MANAGER);
    const opened = await harness.slack.waitForCall('views.open');
    const view = opened.args.view as ModalView;
    assertWithinSlackLimits(view);
    // Then the same modal again, with what this workspace (not the other) has stored.
    const counted = await harness.slack.waitForCall('views.update');
    assertWithinSlackLimits(counted.args.view as ModalView);
    expect(JSON.stringify((counted.args.view as ModalView).blocks)).toContain('*Stored now:* 1 lost deal, 1 retro, 1 debrief');
    return view;
  }

  function confirm(view: ModalView, typed: string, userId = MANAGER) {
    return postInteraction(
      harness.http,
      viewSubmission({ callbackId: CALLBACKS.workspaceDataDeleteModal, userId, privateMetadata: view.private_metadata, values: stateFor([[WORKSPACE_DATA_DELETE_INPUTS.confirmation, text(typed)]]) }),
    );
  }

  it('keeps everything and says so inline when the workspace name is typed wrong', async () => {
    const view = await openDeleteModal();
    expect(JSON.stringify(view.blocks)).toContain('Type test to confirm');
    const answer = await confirm(view, 'tset');
    expect(answer.json).toEqual({ response_action: 'errors', errors: { [WORKSPACE_DATA_DELETE_INPUTS.confirmation.block]: expect.stringContaining('Nothing was deleted') as string } });
    expect(await harness.debrief.database.prisma.retro.count({ where: { workspaceId: ours.workspaceId } })).toBe(1);
  });

  it("deletes this workspace's data once confirmed, keeps the other's, and tells the manager what went", async () => {
    const prisma = harness.debrief.database.prisma;
    const view = await openDeleteModal();
    const answer = await confirm(view, ' TEST ');
    expect(answer.status).toBe(200);
    expect(answer.json).toBeUndefined();

    const told = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === MANAGER);
    expect(String(told.args.text)).toContain('Deleted everything Debrief stored for this workspace: 1 lost deal, 1 retro, 1 debrief');
    await waitFor(async () => (await prisma.workspace.count({ where: { slackTeamId: FAKE_TEAM_ID } })) === 0);
    expect(await prisma.retro.count()).toBe(1);
    expect(await prisma.retro.count({ where: { workspace: { slackTeamId: OTHER_TEAM } } })).toBe(1);

    // Debrief keeps working in the wiped workspace, with the defaults.
    const help = await postCommand(harness.http, { command: COMMANDS.losses, text: 'help', user_id: MANAGER });
    expect(JSON.stringify(help.json)).toContain('data delete');
  });
});
