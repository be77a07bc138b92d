import { inflateSync } from 'node:zlib';
import type { KnownBlock } from '@slack/types';
import { CALLBACKS, COMMANDS, DIGEST_ENABLED_VALUE, DIGEST_SETTINGS_INPUTS } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { createTestDatabase, DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import { FAKE_TEAM_ID, type RecordedCall } from '../helpers/fakeSlack';
import { MANAGER, REP, checkboxes, select, stateFor, text, viewSubmission } from '../helpers/payloads';
import { postCommand, postInteraction } from '../helpers/slackRequests';

// The weekly digest under a fake clock. Weeks are counted in Europe/Berlin; week 2026-W47 runs from
// Monday 16 November to Sunday 22 November and its digest is due Monday 23 November, 09:00 Berlin
// (08:00 UTC).

const DIGEST_CHANNEL = 'C0DIGEST01';
const ZONE = 'Europe/Berlin';
const DUE_W47 = '2026-11-23T08:00:00Z';
const SE = 'U0SE00001';

function fakeClock(start: string) {
  let current = new Date(start);
  return {
    now: () => current,
    set(at: string) {
      current = new Date(at);
    },
  };
}

const blocksOf = (call: RecordedCall) => (call.args.blocks ?? []) as KnownBlock[];
const sectionTexts = (call: RecordedCall) => blocksOf(call).flatMap((block) => (block.type === 'section' && block.text ? [block.text.text] : []));
const periodOf = (call: RecordedCall) => (call.args.metadata as { event_payload: { period: string } }).event_payload.period;
const textOf = (call: RecordedCall) => `${String(call.args.text)}\n${JSON.stringify(call.args.blocks ?? [])}`;

/** Digest messages posted successfully to the channel: parents, then thread replies. */
function digestPosts(harness: THarness): { parents: RecordedCall[]; replies: RecordedCall[] } {
  const posts = harness.slack
    .calls('chat.postMessage')
    .filter((call) => call.args.channel === DIGEST_CHANNEL && call.status === 200 && call.response?.ok === true);
  return { parents: posts.filter((call) => call.args.thread_ts === undefined), replies: posts.filter((call) => call.args.thread_ts !== undefined) };
}

interface TSeedLoss {
  dealName: string;
  openedAt: string;
  amount?: string | null;
  currency?: string | null;
  owner?: string;
  status?: 'open' | 'debriefed' | 'reviewed' | 'reopened';
  debrief?: { primaryReason: string; winnerName: string | null; whyWinnerWon: string | null; priceToValue?: string; anonymous?: boolean; author?: string };
  lessons?: Array<{ text: string; shareWithNewReps: boolean; author?: string; at: string }>;
  actionItems?: Array<{ text: string; owner: string; dueOn: string }>;
}

describe.each(DATABASE_KINDS)('weekly loss digest on %s', (kind) => {
  const clock = fakeClock('2026-11-20T12:00:00Z');
  let harness: THarness;
  let workspaceId: string;

  async function seedLoss(loss: TSeedLoss): Promise<string> {
    const { prisma } = harness.debrief.database;
    const openedAt = new Date(loss.openedAt);
    const deal = await prisma.deal.create({
      data: {
        workspaceId,
        source: 'manual',
        externalId: `seed:${loss.dealName}:${loss.openedAt}`,
        name: loss.dealName,
        amount: loss.amount === undefined ? '48000' : loss.amount,
        currency: loss.currency === undefined ? 'USD' : loss.currency,
        ownerSlackUserId: loss.owner ?? REP,
        competitor: 'Globex',
        lostAt: openedAt,
      },
    });
    const retro = await prisma.retro.create({
      data: {
        workspaceId,
        dealId: deal.id,
        channelId: 'C0RETROS01',
        messageTs: `${Math.floor(openedAt.getTime() / 1000)}.000100`,
        status: loss.status ?? (loss.debrief ? 'debriefed' : 'open'),
        createdAt: openedAt,
      },
    });
    if (loss.debrief) {
      await prisma.debrief.create({
        data: {
          retroId: retro.id,
          authorSlackUserId: loss.debrief.author ?? loss.owner ?? REP,
          primaryReason: loss.debrief.primaryReason,
          outcome: loss.debrief.winnerName ? 'competitor' : 'no_decision',
          winnerName: loss.debrief.winnerName,
          whyWinnerWon: loss.debrief.whyWinnerWon,
          priceToValue: loss.debrief.priceToValue ?? null,
          wentWrong: 'We were late.',
          anonymous: loss.debrief.anonymous ?? false,
        },
      });
    }
    for (const [position, lesson] of (loss.lessons ?? []).entries()) {
      await prisma.lesson.create({
        data: {
          retroId: retro.id,
          text: lesson.text,
          shareWithNewReps: lesson.shareWithNewReps,
          source: 'outcome',
          position,
          authorSlackUserId: lesson.author ?? MANAGER,
          createdBySlackUserId: MANAGER,
          createdAt: new Date(lesson.at),
        },
      });
    }
    for (const [position, item] of (loss.actionItems ?? []).entries()) {
      await prisma.actionItem.create({
        data: { retroId: retro.id, text: item.text, ownerSlackUserId: item.owner, dueOn: new Date(`${item.dueOn}T00:00:00Z`), position, createdBySlackUserId: MANAGER, createdAt: openedAt },
      });
    }
    return retro.id;
  }

  async function tickAt(at: string): Promise<void> {
    clock.set(at);
    await harness.debrief.scheduler.tick();
  }

  beforeAll(async () => {
    harness = await startHarness(kind, { now: clock.now, digest: { channelId: DIGEST_CHANNEL, timeZone: ZONE } });
    const workspace = await harness.debrief.database.prisma.workspace.create({
      data: { slackTeamId: FAKE_TEAM_ID, createdAt: new Date('2026-01-01T00:00:00Z') },
    });
    workspaceId = workspace.id;
    await seedLoss({
      dealName: 'Acme Corp renewal',
      openedAt: '2026-11-17T10:00:00Z',
      amount: '48000',
      currency: 'USD',
      debrief: { primaryReason: 'price_budget', winnerName: 'Globex', whyWinnerWon: 'Bundled onboarding at no extra cost.', priceToValue: 'ours_worse' },
      lessons: [{ text: 'Meet the economic buyer before the proposal.', shareWithNewReps: true, author: SE, at: '2026-11-19T10:00:00Z' }],
      actionItems: [{ text: 'Price an onboarding bundle', owner: MANAGER, dueOn: '2026-11-30' }],
    });
    await seedLoss({
      dealName: 'Initech platform',
      openedAt: '2026-11-18T10:00:00Z',
      amount: '22000',
      currency: 'EUR',
      owner: SE,
      debrief: { primaryReason: 'product_gap', winnerName: 'Globex', whyWinnerWon: 'SSO on the starter plan.', anonymous: true },
    });
    // Sunday 23:30 in Berlin: still week 47.
    await seedLoss({ dealName: 'Umbrella pilot', openedAt: '2026-11-22T22:30:00Z', amount: '9500', currency: 'USD' });
    // Monday 00:30 in Berlin: week 48, not in this digest.
    await seedLoss({ dealName: 'Hooli expansion', openedAt: '2026-11-22T23:30:00Z' });
    // Two weeks earlier: the comparison.
    await seedLoss({ dealName: 'Stark deal', openedAt: '2026-11-04T10:00:00Z', amount: '30000', debrief: { primaryReason: 'price_budget', winnerName: 'Globex', whyWinnerWon: 'Cheaper.' } });
    // Reopened: no longer a loss.
    await seedLoss({ dealName: 'Came back', openedAt: '2026-11-19T10:00:00Z', status: 'reopened' });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(async () => {
    harness.slack.reset();
    // The fake answers users.info with `name` as the display name.
    harness.slack.addUser({ id: REP, name: 'Robin Rep' });
    harness.slack.addUser({ id: SE, name: 'Sam Engineer' });
    await harness.debrief.database.prisma.digestRun.deleteMany();
    await harness.debrief.database.prisma.digestSettings.deleteMany();
  });

  it('posts the week\'s digest once at its hour, with the chart in its thread, and never again', async () => {
    // Before the hour, the week before (empty, never posted in this test) is the one owed.
    await tickAt('2026-11-23T07:59:00Z');
    expect(digestPosts(harness).parents.map(periodOf)).toEqual(['2026-W46']);

    await tickAt(DUE_W47);
    const parents = digestPosts(harness).parents.filter((call) => periodOf(call) === '2026-W47');
    expect(parents).toHaveLength(1);
    const digest = parents[0]!;
    assertWithinSlackLimits({ text: String(digest.args.text), blocks: blocksOf(digest) });
    const body = textOf(digest);
    expect(body).toContain('Loss digest: Nov 16 – 22, 2026');
    expect(body).toContain('*3 losses*');
    expect(body).toContain('Lost in USD: *$57,500.00*');
    expect(body).toContain('Lost in EUR: *€22,000.00*');
    expect(body).toContain('Umbrella pilot');
    expect(body).not.toContain('Hooli expansion');
    expect(body).not.toContain('Came back');
    expect(body).toContain('>Bundled onboarding at no extra cost.');
    expect(body).toContain('Robin Rep');
    // Sam asked not to be named on the Initech debrief: quoted there, but not named (his lesson on
    // Acme, where he did not ask, still carries his name).
    const winners = sectionTexts(digest).find((section) => section.startsWith('*Who beat us'))!;
    expect(winners).toMatch(/>SSO on the starter plan\.\n_— <[^|>]+\|Initech platform>_/);
    expect(winners).not.toContain('Sam Engineer');
    expect(body).toContain('Sam Engineer, <');
    expect(body).toContain('Meet the economic buyer before the proposal.');
    expect(body).toContain(`<@${MANAGER}>`); // the action item's owner
    expect(body).toContain(`<@${REP}>`); // Umbrella still waits for its debrief
    expect(body).toContain('archives/C0RETROS01/p'); // permalinks to the retro threads
    expect(body).not.toContain('Posted late');
    expect(digest.args.metadata).toMatchObject({ event_type: 'debrief_digest', event_payload: { period: '2026-W47', part: 0 } });

    // The chart: a real PNG, uploaded into the digest's thread.
    const complete = harness.slack.calls('files.completeUploadExternal')[0]!;
    expect(complete.args).toMatchObject({ channel_id: DIGEST_CHANNEL, thread_ts: digest.response?.ts });
    const png = harness.slack.uploads()[0]!.bytes;
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(960);
    expect(inflateSync(png.subarray(41, 41 + png.readUInt32BE(33))).length).toBe((960 * 3 + 1) * png.readUInt32BE(20));

    const run = await harness.debrief.database.prisma.digestRun.findFirstOrThrow({ where: { period: '2026-W47' } });
    expect(run).toMatchObject({ period: '2026-W47', channelId: DIGEST_CHANNEL, state: 'posted', messageTs: digest.response?.ts, repliesPosted: 0, chartError: null });
    expect(run.chartFileId).toMatch(/^F/);

    await tickAt('2026-11-23T08:01:00Z');
    await tickAt('2026-11-25T12:00:00Z');
    expect(digestPosts(harness).parents.map(periodOf)).toEqual(['2026-W46', '2026-W47']);
  });

  it('catches up on start with the latest missed week, labelled late', async () => {
    // Down from Sunday to Wednesday: week 47's digest goes out at the first tick, once.
    await tickAt('2026-11-25T13:37:00Z');
    await tickAt('2026-11-25T13:38:00Z');
    const { parents } = digestPosts(harness);
    expect(parents).toHaveLength(1);
    expect(textOf(parents[0]!)).toContain('2026-W47');
    expect(textOf(parents[0]!)).toContain('Posted late: it was due Monday, Nov 23 at 09:00');
    // Weeks missed before that are not posted too: only the latest.
    expect(await harness.debrief.database.prisma.digestRun.count()).toBe(1);
  });

  it('retries a rate-limited post after its Retry-After and still posts once', async () => {
    harness.slack.rateLimitNext('chat.postMessage', 1);
    await tickAt(DUE_W47);
    const attempts = harness.slack.calls('chat.postMessage').filter((call) => call.args.channel === DIGEST_CHANNEL);
    expect(attempts.map((call) => call.status)).toEqual([429, 200]);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900); // Retry-After: 1
    expect(digestPosts(harness).parents).toHaveLength(1);
  });

  it('posts the digest without its chart when the upload fails', async () => {
    harness.slack.failNext('files.getUploadURLExternal', 'internal_error');
    await tickAt(DUE_W47);
    expect(digestPosts(harness).parents).toHaveLength(1);
    const run = await harness.debrief.database.prisma.digestRun.findFirstOrThrow();
    expect(run).toMatchObject({ state: 'posted', chartFileId: null, chartError: expect.stringContaining('internal_error') });
    // Not retried on the next tick: the digest is out.
    await tickAt('2026-11-23T08:05:00Z');
    expect(harness.slack.calls('files.getUploadURLExternal')).toHaveLength(1);
  });

  it('retries a failed post later and posts once it works', async () => {
    harness.slack.failNext('chat.postMessage', 'not_in_channel');
    await tickAt(DUE_W47);
    expect(digestPosts(harness).parents).toHaveLength(0);
    expect(await harness.debrief.database.prisma.digestRun.findFirstOrThrow()).toMatchObject({ state: 'failed', lastError: 'not_in_channel', attempts: 1 });
    await tickAt('2026-11-23T08:04:00Z'); // backing off
    expect(digestPosts(harness).parents).toHaveLength(0);
    await tickAt('2026-11-23T08:05:00Z');
    expect(digestPosts(harness).parents).toHaveLength(1);
    expect(await harness.debrief.database.prisma.digestRun.findFirstOrThrow()).toMatchObject({ state: 'posted', attempts: 2 });
  });

  it('resumes a run whose instance died after posting, without posting it again', async () => {
    // An instance claimed week 47, posted the digest, and died before recording the message.
    const { prisma } = harness.debrief.database;
    const run = await prisma.digestRun.create({
      data: { workspaceId, channelId: DIGEST_CHANNEL, period: '2026-W47', claimToken: 'dead-instance', leaseExpiresAt: new Date('2026-11-23T08:10:00Z'), scheduledFor: new Date(DUE_W47), createdAt: new Date(DUE_W47) },
    });
    harness.slack.setResponse('conversations.history', (args) => ({
      ok: true,
      messages:
        args.channel === DIGEST_CHANNEL && args.include_all_metadata === 'true'
          ? [{ ts: '1763884800.000200', text: 'Loss digest', metadata: { event_type: 'debrief_digest', event_payload: { run_id: run.id, period: '2026-W47', part: 0 } } }]
          : [],
    }));

    await tickAt('2026-11-23T08:05:00Z'); // the lease still holds: nobody touches it
    expect(harness.slack.calls('conversations.history')).toHaveLength(0);

    await tickAt('2026-11-23T08:11:00Z');
    expect(digestPosts(harness).parents).toHaveLength(0);
    expect(await prisma.digestRun.findFirstOrThrow()).toMatchObject({ state: 'posted', messageTs: '1763884800.000200', attempts: 2 });
    // The chart went into the thread of the message found.
    expect(harness.slack.calls('files.completeUploadExternal')[0]?.args).toMatchObject({ thread_ts: '1763884800.000200' });
  });

  it('resumes a run that died before posting anything, and posts it once', async () => {
    const { prisma } = harness.debrief.database;
    await prisma.digestRun.create({
      data: { workspaceId, channelId: DIGEST_CHANNEL, period: '2026-W47', claimToken: 'dead-instance', leaseExpiresAt: new Date('2026-11-23T08:10:00Z'), scheduledFor: new Date(DUE_W47), createdAt: new Date(DUE_W47) },
    });
    await tickAt('2026-11-23T08:11:00Z');
    expect(harness.slack.calls('conversations.history')).toHaveLength(1);
    expect(digestPosts(harness).parents).toHaveLength(1);
    await tickAt('2026-11-23T08:30:00Z');
    expect(digestPosts(harness).parents).toHaveLength(1);
  });

  it('says an empty week in one line', async () => {
    // Week 49 (Nov 30 – Dec 6) has no losses; its digest is due Monday Dec 7.
    await tickAt('2026-12-07T08:00:00Z');
    const { parents } = digestPosts(harness);
    expect(parents).toHaveLength(1);
    expect(blocksOf(parents[0]!)).toHaveLength(1);
    expect(textOf(parents[0]!)).toContain('no losses were reported this week');
    expect(harness.slack.calls('files.getUploadURLExternal')).toHaveLength(0);
  });

  it('shows a manager the next digest privately with /losses digest', async () => {
    clock.set('2026-11-23T07:00:00Z'); // before Monday's digest: it previews week 47
    const responseUrl = harness.slack.responseUrl('preview');
    const response = await postCommand(harness.http, { command: COMMANDS.losses, text: 'digest', user_id: MANAGER, response_url: responseUrl });
    expect(response.status).toBe(200);
    const preview = await harness.slack.waitForCall('response_url');
    expect(preview.args).toMatchObject({ response_type: 'ephemeral' });
    const body = JSON.stringify(preview.args.blocks);
    expect(body).toContain('Preview, only you can see this.');
    expect(body).toContain(`<#${DIGEST_CHANNEL}> Monday, Nov 23 at 09:00 (Europe/Berlin)`);
    expect(body).toContain('Acme Corp renewal');
    // Nothing went to the channel.
    expect(digestPosts(harness).parents).toHaveLength(0);

    // After Monday's hour, the preview is this week so far.
    harness.slack.reset();
    clock.set('2026-11-24T12:00:00Z');
    await postCommand(harness.http, { command: COMMANDS.losses, text: 'digest', user_id: MANAGER, response_url: harness.slack.responseUrl('so-far') });
    const soFar = await harness.slack.waitForCall('response_url');
    expect(JSON.stringify(soFar.args.blocks)).toContain('this is the digest so far');
    expect(JSON.stringify(soFar.args.blocks)).toContain('Hooli expansion');
  });

  it('previews a named past week, and explains a bad one', async () => {
    clock.set('2026-11-24T12:00:00Z');
    await postCommand(harness.http, { command: COMMANDS.losses, text: 'digest 2026-w45', user_id: MANAGER, response_url: harness.slack.responseUrl('w45') });
    const w45 = await harness.slack.waitForCall('response_url');
    expect(JSON.stringify(w45.args.blocks)).toContain('Stark deal');

    harness.slack.reset();
    await postCommand(harness.http, { command: COMMANDS.losses, text: 'digest 2026-W52', user_id: MANAGER, response_url: harness.slack.responseUrl('future') });
    const future = await harness.slack.waitForCall('response_url');
    expect(String(future.args.text)).toContain('has not begun yet');

    const usage = await postCommand(harness.http, { command: COMMANDS.losses, text: 'digest lastweek', user_id: MANAGER });
    expect(usage.json).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('/losses digest settings') });
  });

  it('keeps the preview and the settings to managers', async () => {
    for (const text of ['digest', 'digest settings']) {
      harness.slack.reset();
      await postCommand(harness.http, { command: COMMANDS.losses, text, user_id: REP, response_url: harness.slack.responseUrl(text) });
      const answer = await harness.slack.waitForCall('response_url');
      expect(answer.args).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining('Only managers can') });
      expect(String(answer.args.text)).toContain(`<@${MANAGER}>`);
      expect(harness.slack.calls('views.open')).toHaveLength(0);
    }
  });

  describe('settings', () => {
    const settingsValues = (values: { channel?: string | null; weekday?: string; hour?: string; timeZone?: string; enabled?: boolean } = {}) =>
      stateFor([
        [DIGEST_SETTINGS_INPUTS.channelId, { type: 'conversations_select', selected_conversation: values.channel === undefined ? 'C0SALES01' : values.channel }],
        [DIGEST_SETTINGS_INPUTS.weekday, select(values.weekday ?? '5')],
        [DIGEST_SETTINGS_INPUTS.hour, select(values.hour ?? '16')],
        [DIGEST_SETTINGS_INPUTS.timeZone, text(values.timeZone ?? 'america/new_york')],
        [DIGEST_SETTINGS_INPUTS.enabled, checkboxes(values.enabled === false ? [] : [DIGEST_ENABLED_VALUE])],
      ]);
    const submit = (values: Parameters<typeof settingsValues>[0] = {}, userId = MANAGER) =>
      postInteraction(
        harness.http,
        viewSubmission({ callbackId: CALLBACKS.digestSettingsModal, userId, values: settingsValues(values), privateMetadata: JSON.stringify({ channelId: 'C0TEST' }) }),
      );

    it('opens a modal with the current settings from /losses digest settings', async () => {
      await postCommand(harness.http, { command: COMMANDS.losses, text: 'digest settings', user_id: MANAGER, response_url: harness.slack.responseUrl() });
      const open = await harness.slack.waitForCall('views.open');
      const view = open.args.view as { callback_id: string; blocks: Array<{ block_id?: string; element?: Record<string, unknown> }> };
      expect(view.callback_id).toBe(CALLBACKS.digestSettingsModal);
      const element = (input: { block: string }) => view.blocks.find((block) => block.block_id === input.block)?.element;
      expect(element(DIGEST_SETTINGS_INPUTS.channelId)).toMatchObject({ initial_conversation: DIGEST_CHANNEL });
      expect(element(DIGEST_SETTINGS_INPUTS.weekday)).toMatchObject({ initial_option: { value: '1' } });
      expect(element(DIGEST_SETTINGS_INPUTS.hour)).toMatchObject({ initial_option: { value: '9' } });
      expect(element(DIGEST_SETTINGS_INPUTS.timeZone)).toMatchObject({ initial_value: ZONE });
      assertWithinSlackLimits(open.args.view as never);
    });

    it('shows mistakes on the fields and saves nothing', async () => {
      const response = await submit({ timeZone: 'Mars/Olympus_Mons', channel: null });
      expect(response.json).toEqual({
        response_action: 'errors',
        errors: {
          [DIGEST_SETTINGS_INPUTS.timeZone.block]: expect.stringContaining('not a time zone I know'),
          [DIGEST_SETTINGS_INPUTS.channelId.block]: expect.stringContaining('Pick the channel'),
        },
      });
      expect(await harness.debrief.database.prisma.digestSettings.count()).toBe(0);
    });

    it('refuses a submission from someone who is not a manager', async () => {
      const response = await submit({}, REP);
      expect(response.json).toMatchObject({ response_action: 'errors', errors: { [DIGEST_SETTINGS_INPUTS.channelId.block]: expect.stringContaining('Only managers') } });
      expect(await harness.debrief.database.prisma.digestSettings.count()).toBe(0);
    });

    it('saves valid settings, confirms privately, and the schedule follows them', async () => {
      clock.set('2026-11-20T12:00:00Z');
      const response = await submit();
      expect(response.body).toBe('');
      const confirmation = await harness.slack.waitForCall('chat.postEphemeral');
      expect(confirmation.args).toMatchObject({ channel: 'C0TEST', user: MANAGER });
      expect(String(confirmation.args.text)).toContain('Fridays at 16:00 (America/New_York)');
      expect(await harness.debrief.database.prisma.digestSettings.findFirstOrThrow()).toMatchObject({
        channelId: 'C0SALES01',
        weekday: 5,
        hour: 16,
        timeZone: 'America/New_York',
        enabled: true,
        updatedBySlackUserId: MANAGER,
      });

      // Week 47 in New York is due Friday Nov 27, 16:00 EST (21:00 UTC), in the new channel.
      const parents = () => harness.slack.calls('chat.postMessage').filter((call) => call.args.thread_ts === undefined && call.response?.ok === true);
      await tickAt('2026-11-27T20:59:00Z');
      expect(parents().map(periodOf)).not.toContain('2026-W47');
      await tickAt('2026-11-27T21:00:00Z');
      await tickAt('2026-11-27T21:01:00Z');
      const w47 = parents().filter((call) => periodOf(call) === '2026-W47');
      expect(w47.map((call) => call.args.channel)).toEqual(['C0SALES01']);
      expect(parents().every((call) => call.args.channel === 'C0SALES01')).toBe(true);
    });

    it('posts nothing while paused', async () => {
      await submit({ enabled: false });
      await harness.slack.waitForCall('chat.postEphemeral');
      await tickAt(DUE_W47);
      await tickAt('2026-11-27T21:00:00Z');
      expect(harness.slack.calls('chat.postMessage').filter((call) => call.args.thread_ts === undefined)).toHaveLength(0);
    });
  });
});

describe.each(DATABASE_KINDS)('weekly loss digest across instances on %s', (kind) => {
  it('posts each week once when two instances tick together, and through a daylight-saving change', async () => {
    const clock = fakeClock('2026-10-20T12:00:00Z');
    const database = await createTestDatabase(kind, { persistent: true });
    const harnesses: THarness[] = [];
    try {
      // Sunday 02:00 in Berlin: the hour clocks go back through on Oct 25 2026.
      const options = { now: clock.now, database, digest: { channelId: DIGEST_CHANNEL, timeZone: ZONE } };
      const first = await startHarness(kind, options);
      harnesses.push(first);
      const { prisma } = first.debrief.database;
      // Installed on Tuesday Oct 20: week 41, due two days before, is not caught up.
      const workspace = await prisma.workspace.create({ data: { slackTeamId: FAKE_TEAM_ID, createdAt: new Date('2026-10-20T12:00:00Z') } });
      await prisma.digestSettings.create({ data: { workspaceId: workspace.id, channelId: DIGEST_CHANNEL, weekday: 7, hour: 2, timeZone: ZONE, updatedBySlackUserId: MANAGER } });

      const posted = () => harnesses.flatMap((harness) => digestPosts(harness).parents);
      const tickAll = async () => {
        // Two instances sharing one database; PGlite cannot be shared, so there a restart stands in.
        if (harnesses.length === 2) await Promise.all(harnesses.map((harness) => harness.debrief.scheduler.tick()));
        else await first.debrief.scheduler.tick();
      };
      if (kind === 'postgres') harnesses.push(await startHarness(kind, options));

      // Every 30 minutes from Saturday Oct 24 to Monday Nov 2: W42 (due Sun Oct 25 02:00 CEST) and W43 (due Sun Nov 1).
      for (let t = Date.parse('2026-10-24T00:00:00Z'); t <= Date.parse('2026-11-02T00:00:00Z'); t += 30 * 60_000) {
        clock.set(new Date(t).toISOString());
        await tickAll();
      }
      const weeks = posted().map(periodOf);
      expect(weeks.sort()).toEqual(['2026-W42', '2026-W43']);
      const runs = await prisma.digestRun.findMany({ orderBy: { period: 'asc' } });
      expect(runs.map((run) => [run.period, run.state, run.attempts])).toEqual([
        ['2026-W42', 'posted', 1],
        ['2026-W43', 'posted', 1],
      ]);

      if (kind === 'pglite') {
        // A restart after the hour posts nothing more.
        // The first instance stops; its fake Slack stays up until the second has started and Bolt
        // has verified its token, so the two fakes never share a port or a closing moment.
        await first.debrief.stop();
        clock.set('2026-11-01T03:00:00Z');
        const second = await startHarness(kind, options);
        harnesses.push(second);
        await second.slack.waitForCall('auth.test');
        await first.slack.stop();
        await second.debrief.scheduler.tick();
        expect(digestPosts(second).parents).toHaveLength(0);
      }
    } finally {
      for (const harness of harnesses) await harness.stop();
      await database.drop();
    }
  }, 180_000);
});
