import { randomBytes } from 'node:crypto';
import type { KnownBlock } from '@slack/types';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids';
import { assertWithinSlackLimits } from '../helpers/blockKitLimits';
import { createTestDatabase, DATABASE_KINDS } from '../helpers/database';
import { startHarness, TEST_RETRO_CHANNEL, type THarness } from '../helpers/debriefHarness';
import type { RecordedCall } from '../helpers/fakeSlack';
import { MANAGER, REP, blockAction, debriefFormState, logFormState, viewSubmission, type TDebriefFormValues } from '../helpers/payloads';
import { postInteraction } from '../helpers/slackRequests';
import { sleep, waitFor } from '../helpers/wait';

// Reminders go out from scheduler ticks under a fake clock. 23 November 2026 is a Monday.
const MONDAY_10_UTC = new Date('2026-11-23T10:00:00Z');
const DM_CHANNEL = `D${REP}`; // the fake's conversations.open answers D + user id

const blocksText = (call: RecordedCall): string => JSON.stringify(call.args.blocks ?? []);

/** A fake clock the harness reads; `at` moves it and runs one scheduler pass, as the cron job would. */
function fakeClock(start: Date) {
  let current = start;
  return {
    now: () => current,
    set(at: string | Date) {
      current = new Date(at);
    },
  };
}

async function logDeal(harness: THarness, dealName: string): Promise<string> {
  await postInteraction(harness.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName }) }));
  const prompt = await harness.slack.waitForCall(
    'chat.postMessage',
    (call) => call.args.thread_ts !== undefined && call.args.channel === TEST_RETRO_CHANNEL && String(call.args.text).includes(dealName),
  );
  const actions = (prompt.args.blocks as Array<{ type: string; elements?: Array<{ value?: string }> }>).find((block) => block.type === 'actions');
  const retroId = actions!.elements![0]!.value!;
  // Opening ends with the owner's notice; waiting for it keeps its DM out of the next assertions.
  await harness.slack.waitForCall('chat.postMessage', (call) => call.args.channel === REP && blocksText(call).includes(retroId));
  return retroId;
}

async function submitDebrief(harness: THarness, retroId: string, values: TDebriefFormValues = {}): Promise<void> {
  const callsBefore = harness.slack.calls().length;
  const response = await postInteraction(
    harness.http,
    viewSubmission({ callbackId: CALLBACKS.debriefModal, privateMetadata: JSON.stringify({ retroId }), values: debriefFormState(values) }),
  );
  expect(response.body).toBe('');
  // Posting (or, for an edit, updating) the summary in the thread comes after everything is stored.
  await waitFor(() =>
    harness.slack
      .calls()
      .slice(callsBefore)
      .some((call) => (call.method === 'chat.postMessage' || call.method === 'chat.update') && blocksText(call).includes('Debrief from')),
  );
}

/** The reminders about one retro DMed to the owner (not the notice sent when the retro opened). */
function nudgesAbout(harness: THarness, retroId: string): RecordedCall[] {
  return harness.slack
    .calls('chat.postMessage')
    .filter((call) => call.args.channel === DM_CHANNEL && call.response?.ok === true && blocksText(call).includes(retroId) && String(call.args.text).startsWith('Reminder'));
}

describe.each(DATABASE_KINDS)('debrief nudges on %s', (kind) => {
  const clock = fakeClock(MONDAY_10_UTC);
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, { now: clock.now });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(() => {
    harness.slack.reset();
    clock.set(MONDAY_10_UTC);
  });

  async function tickAt(at: string): Promise<void> {
    clock.set(at);
    await harness.debrief.scheduler.tick();
  }

  it('DMs the owner once after one working day, with a button that opens the debrief from the DM', async () => {
    const retroId = await logDeal(harness, 'Nudge once');
    await tickAt('2026-11-23T10:00:00Z');
    await tickAt('2026-11-24T09:59:00Z');
    expect(nudgesAbout(harness, retroId)).toHaveLength(0);

    await tickAt('2026-11-24T10:00:00Z');
    await tickAt('2026-11-24T10:00:00Z'); // a second pass at the same time sends nothing more
    await tickAt('2026-11-24T11:30:00Z');
    const nudges = nudgesAbout(harness, retroId);
    expect(nudges).toHaveLength(1);
    expect(harness.slack.calls('conversations.open').some((call) => call.args.users === REP)).toBe(true);
    const dm = nudges[0]!;
    expect(String(dm.args.text)).toContain('Nudge once');
    const button = (dm.args.blocks as KnownBlock[]).flatMap((block) => (block.type === 'actions' ? block.elements : []))[0] as { action_id: string; value: string };
    expect(button).toMatchObject({ action_id: ACTIONS.openDebrief, value: retroId });
    assertWithinSlackLimits({ text: String(dm.args.text), blocks: dm.args.blocks as KnownBlock[] });

    // The button works where it is: in the DM, not the retro channel.
    await postInteraction(harness.http, blockAction({ actionId: ACTIONS.openDebrief, value: retroId, userId: REP, channelId: DM_CHANNEL }));
    const open = await harness.slack.waitForCall('views.open');
    expect((open.args.view as { callback_id: string }).callback_id).toBe(CALLBACKS.debriefModal);
  });

  it('sends at most two reminders, the second a working day after the first', async () => {
    const retroId = await logDeal(harness, 'Nudge twice');
    await tickAt('2026-11-24T10:00:00Z');
    await tickAt('2026-11-25T09:59:00Z');
    expect(nudgesAbout(harness, retroId)).toHaveLength(1);
    await tickAt('2026-11-25T10:00:00Z');
    expect(nudgesAbout(harness, retroId)).toHaveLength(2);
    expect(blocksText(nudgesAbout(harness, retroId)[1]!)).toContain('last reminder');
    for (const at of ['2026-11-26T10:00:00Z', '2026-11-27T10:00:00Z', '2026-11-30T10:00:00Z', '2026-12-14T10:00:00Z']) await tickAt(at);
    expect(nudgesAbout(harness, retroId)).toHaveLength(2);
    const job = await harness.debrief.database.prisma.scheduledJob.findFirstOrThrow({ where: { key: `debrief_nudge:${retroId}` } });
    expect(job).toMatchObject({ outcome: 'sent', doneAt: new Date('2026-11-25T10:00:00Z') });
  });

  it('sends nothing once the owner has debriefed', async () => {
    const retroId = await logDeal(harness, 'Debriefed in time');
    await submitDebrief(harness, retroId);
    for (const at of ['2026-11-24T10:00:00Z', '2026-11-25T10:00:00Z']) await tickAt(at);
    expect(nudgesAbout(harness, retroId)).toHaveLength(0);
    const job = await harness.debrief.database.prisma.scheduledJob.findFirstOrThrow({ where: { key: `debrief_nudge:${retroId}` } });
    expect(job.outcome).toBe('skipped: retro debriefed');
  });

  it('stops after the first reminder when the debrief comes in, and sends nothing for a reviewed retro', async () => {
    const debriefedLater = await logDeal(harness, 'Debriefed after one nudge');
    const reviewed = await logDeal(harness, 'Closed by the team');
    await tickAt('2026-11-24T10:00:00Z');
    expect(nudgesAbout(harness, debriefedLater)).toHaveLength(1);
    await submitDebrief(harness, debriefedLater);
    // The team closed the other retro without the rep's debrief (recorded by the manager's outcome).
    await harness.debrief.database.prisma.retro.update({ where: { id: reviewed }, data: { status: 'reviewed', closedAt: new Date('2026-11-24T12:00:00Z') } });
    const before = nudgesAbout(harness, reviewed).length;
    await tickAt('2026-11-25T10:00:00Z');
    expect(nudgesAbout(harness, debriefedLater)).toHaveLength(1);
    expect(nudgesAbout(harness, reviewed)).toHaveLength(before);
  });

  it('retries a reminder Slack failed to take, without sending it twice', async () => {
    const retroId = await logDeal(harness, 'Slack hiccup');
    harness.slack.failNext('chat.postMessage', 'internal_error');
    await tickAt('2026-11-24T10:00:00Z');
    expect(nudgesAbout(harness, retroId)).toHaveLength(0);
    const failed = await harness.debrief.database.prisma.scheduledJob.findFirstOrThrow({ where: { key: `debrief_nudge:${retroId}` } });
    expect(failed).toMatchObject({ doneAt: null, attempts: 1, lastError: expect.stringContaining('internal_error') });
    await tickAt('2026-11-24T10:00:30Z'); // backing off: not yet
    expect(nudgesAbout(harness, retroId)).toHaveLength(0);
    await tickAt('2026-11-24T10:01:00Z');
    await tickAt('2026-11-24T10:02:00Z');
    expect(nudgesAbout(harness, retroId)).toHaveLength(1);
  });
});

describe.each(DATABASE_KINDS)('debrief nudges in a workspace on New York time, on %s', (kind) => {
  // Friday 27 November 2026, 15:00 in New York (UTC-5).
  const clock = fakeClock(new Date('2026-11-27T20:00:00Z'));
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, { now: clock.now, reminders: { defaultTimeZone: 'America/New_York' } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('skips the weekend: a Friday-afternoon loss is nudged on Monday afternoon, New York time', async () => {
    const retroId = await logDeal(harness, 'Friday loss');
    for (const at of ['2026-11-28T15:00:00Z', '2026-11-29T15:00:00Z', '2026-11-30T14:00:00Z', '2026-11-30T19:59:00Z']) {
      clock.set(at);
      await harness.debrief.scheduler.tick();
    }
    expect(nudgesAbout(harness, retroId)).toHaveLength(0);
    clock.set('2026-11-30T20:00:00Z'); // Monday 15:00 in New York
    await harness.debrief.scheduler.tick();
    expect(nudgesAbout(harness, retroId)).toHaveLength(1);
    const job = await harness.debrief.database.prisma.scheduledJob.findFirstOrThrow({ where: { key: `debrief_nudge:${retroId}` } });
    expect(job.dueAt).toEqual(new Date('2026-12-01T20:00:00Z')); // the second: Tuesday 15:00
  });
});

describe.each(DATABASE_KINDS)('reminders across a restart on %s', (kind) => {
  it('sends a reminder that fell due while the app was down, once, from the new instance', async () => {
    const clock = fakeClock(MONDAY_10_UTC);
    const database = await createTestDatabase(kind, { persistent: true });
    const harnesses: THarness[] = [];
    try {
      const first = await startHarness(kind, { now: clock.now, database });
      harnesses.push(first);
      const retroId = await logDeal(first, 'Survives a restart');
      await first.stop();

      // Down over the due time; a new instance starts on the same database.
      clock.set('2026-11-24T16:00:00Z');
      const second = await startHarness(kind, { now: clock.now, database });
      harnesses.push(second);
      await second.debrief.scheduler.tick();
      await second.debrief.scheduler.tick();
      expect(nudgesAbout(second, retroId)).toHaveLength(1);

      if (kind === 'postgres') {
        // Two instances at once on one database (PGlite cannot be shared): the second reminder goes out once.
        const third = await startHarness(kind, { now: clock.now, database });
        harnesses.push(third);
        clock.set('2026-11-25T16:00:00Z');
        await Promise.all([second.debrief.scheduler.tick(), third.debrief.scheduler.tick()]);
        expect(nudgesAbout(second, retroId).length + nudgesAbout(third, retroId).length).toBe(2);
      }
    } finally {
      for (const harness of harnesses) await harness.stop();
      await database.drop();
    }
    // Two or three app starts, each migrating an on-disk database: slow on a busy machine.
  }, 90_000);
});

describe.each(DATABASE_KINDS)('revisit follow-ups on %s', (kind) => {
  const clock = fakeClock(MONDAY_10_UTC);
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, { now: clock.now });
  });
  afterAll(async () => {
    await harness?.stop();
  });
  beforeEach(() => {
    harness.slack.reset();
    clock.set(MONDAY_10_UTC);
  });

  async function tickAt(at: string): Promise<void> {
    clock.set(at);
    await harness.debrief.scheduler.tick();
  }

  async function debriefIdOf(retroId: string): Promise<string> {
    return (await harness.debrief.database.prisma.debrief.findFirstOrThrow({ where: { retroId } })).id;
  }

  function followUpsAbout(debriefId: string): RecordedCall[] {
    return harness.slack.calls('chat.postMessage').filter((call) => call.args.channel === DM_CHANNEL && blocksText(call).includes(debriefId));
  }

  async function press(actionId: string, debriefId: string, userId = REP): Promise<RecordedCall> {
    const responseUrl = harness.slack.responseUrl();
    await postInteraction(harness.http, blockAction({ actionId, value: debriefId, userId, channelId: DM_CHANNEL, responseUrl }));
    return harness.slack.waitForCall('response_url', (call) => call.path.endsWith(responseUrl.split('/').pop()!));
  }

  const followUpJob = (debriefId: string) => harness.debrief.database.prisma.scheduledJob.findFirstOrThrow({ where: { key: `revisit_follow_up:${debriefId}` } });

  it('DMs the author on the revisit date with what the buyer said and why the winner won; snooze and done work', async () => {
    const retroId = await logDeal(harness, 'Come back later');
    // 3 May 2027 is a Monday.
    await submitDebrief(harness, retroId, { revisitOn: '2027-05-03', buyerWords: 'Call us when the contract ends.', whyWinnerWon: 'They were cheaper in year one.' });
    const debriefId = await debriefIdOf(retroId);
    expect((await followUpJob(debriefId)).dueAt).toEqual(new Date('2027-05-03T09:00:00Z'));

    await tickAt('2027-05-03T08:59:00Z');
    expect(followUpsAbout(debriefId)).toHaveLength(0);
    await tickAt('2027-05-03T09:00:00Z');
    await tickAt('2027-05-03T09:01:00Z');
    const [dm] = followUpsAbout(debriefId);
    expect(followUpsAbout(debriefId)).toHaveLength(1);
    const text = blocksText(dm!);
    expect(text).toContain('Come back later');
    expect(text).toContain('>Call us when the contract ends.');
    expect(text).toContain('Why Globex won');
    expect(text).toContain('They were cheaper in year one.');
    for (const actionId of [ACTIONS.followUpSnoozeTwoWeeks, ACTIONS.followUpSnoozeOneMonth, ACTIONS.followUpDone]) expect(text).toContain(actionId);
    assertWithinSlackLimits({ text: String(dm!.args.text), blocks: dm!.args.blocks as KnownBlock[] });

    // Someone the DM was forwarded to cannot answer it.
    const refused = await press(ACTIONS.followUpDone, debriefId, MANAGER);
    expect(refused.args).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect((await followUpJob(debriefId)).outcome).toBe('sent');

    // Snooze 1 month: 3 June 2027, a Thursday.
    const snoozed = await press(ACTIONS.followUpSnoozeOneMonth, debriefId);
    expect(snoozed.args).toMatchObject({ replace_original: true });
    expect(JSON.stringify(snoozed.args.blocks)).toContain('Jun 3, 2027');
    expect(JSON.stringify(snoozed.args.blocks)).not.toContain(ACTIONS.followUpDone);
    expect(await followUpJob(debriefId)).toMatchObject({ dueAt: new Date('2027-06-03T09:00:00Z'), doneAt: null });
    await tickAt('2027-06-02T09:00:00Z');
    expect(followUpsAbout(debriefId)).toHaveLength(1);
    await tickAt('2027-06-03T09:00:00Z');
    expect(followUpsAbout(debriefId)).toHaveLength(2);

    // Snooze 2 weeks from Thursday 3 June: 17 June.
    const twoWeeks = await press(ACTIONS.followUpSnoozeTwoWeeks, debriefId);
    expect(JSON.stringify(twoWeeks.args.blocks)).toContain('Jun 17, 2027');
    await tickAt('2027-06-17T09:00:00Z');
    expect(followUpsAbout(debriefId)).toHaveLength(3);

    const done = await press(ACTIONS.followUpDone, debriefId);
    expect(JSON.stringify(done.args.blocks)).toContain('Marked done');
    expect(await followUpJob(debriefId)).toMatchObject({ outcome: 'done' });
    await tickAt('2027-07-01T09:00:00Z');
    await tickAt('2028-01-03T09:00:00Z');
    expect(followUpsAbout(debriefId)).toHaveLength(3);
  });

  it('follows the revisit date when the debrief is edited, and forgets it when the date is removed', async () => {
    const retroId = await logDeal(harness, 'Date moves');
    await submitDebrief(harness, retroId, { revisitOn: '2027-05-03' });
    const debriefId = await debriefIdOf(retroId);
    await submitDebrief(harness, retroId, { revisitOn: '2027-06-05' }); // a Saturday: Monday 7 June instead
    expect(await followUpJob(debriefId)).toMatchObject({ dueAt: new Date('2027-06-07T09:00:00Z'), doneAt: null });
    await tickAt('2027-05-03T09:00:00Z');
    expect(followUpsAbout(debriefId)).toHaveLength(0);

    // An edit that keeps the date (fixing a typo) changes nothing about the reminder.
    await submitDebrief(harness, retroId, { revisitOn: '2027-06-05', wentWrong: 'Started too late.' });
    expect((await followUpJob(debriefId)).dueAt).toEqual(new Date('2027-06-07T09:00:00Z'));

    await submitDebrief(harness, retroId, { revisitOn: null });
    expect(await followUpJob(debriefId)).toMatchObject({ outcome: 'cancelled: revisit date removed' });
    await tickAt('2027-06-07T09:00:00Z');
    expect(followUpsAbout(debriefId)).toHaveLength(0);
  });

  it('stores "don\'t show my name in digests" with the debrief and says so in the thread', async () => {
    const retroId = await logDeal(harness, 'Candid one');
    await submitDebrief(harness, retroId, { anonymous: true });
    const summary = harness.slack.calls('chat.postMessage').find((call) => blocksText(call).includes('Debrief from'));
    expect(blocksText(summary!)).toContain('without a name in digests');
    const stored = await harness.debrief.database.prisma.debrief.findFirstOrThrow({ where: { retroId } });
    expect(stored.anonymous).toBe(true);
    await submitDebrief(harness, retroId, { anonymous: false });
    await sleep(50);
    expect((await harness.debrief.database.prisma.debrief.findFirstOrThrow({ where: { retroId } })).anonymous).toBe(false);
  });
});

describe.each(DATABASE_KINDS)('action items due today, in a workspace on New York time, on %s', (kind) => {
  // Tuesday 1 December 2026, 08:00 in New York (UTC-5).
  const clock = fakeClock(new Date('2026-12-01T13:00:00Z'));
  let harness: THarness;
  let retroId: string;
  let position = 0;

  beforeAll(async () => {
    harness = await startHarness(kind, { now: clock.now, reminders: { defaultTimeZone: 'America/New_York' } });
    retroId = await logDeal(harness, 'Lessons were learned');
  });
  afterAll(async () => {
    await harness?.stop();
  });

  /** Action items as the team retro's outcome stores them (its own tests cover the modal). */
  async function addItem(text: string, owner: string, dueOn: string, done = false): Promise<void> {
    position += 1;
    await harness.debrief.database.prisma.actionItem.create({
      data: { retroId, text, ownerSlackUserId: owner, dueOn: new Date(`${dueOn}T00:00:00Z`), position, createdBySlackUserId: MANAGER, doneAt: done ? clock.now() : null },
    });
  }

  function dueTodayDms(owner: string): RecordedCall[] {
    return harness.slack.calls('chat.postMessage').filter((call) => call.args.channel === `D${owner}` && /due today/i.test(String(call.args.text)));
  }

  async function tickAt(at: string): Promise<void> {
    clock.set(at);
    await harness.debrief.scheduler.tick();
  }

  it('DMs each owner their open items due today once, in the morning of the workspace, and later additions separately', async () => {
    await addItem('Send the security questionnaire template to SE', REP, '2026-12-01');
    await addItem('Book a pricing review with finance', REP, '2026-12-01');
    await addItem('Already handled', REP, '2026-12-01', true);
    await addItem('Due tomorrow', REP, '2026-12-02');
    await addItem('Update the battlecard for Globex', MANAGER, '2026-12-01');

    await tickAt('2026-12-01T13:59:00Z'); // 08:59 in New York: not yet
    expect(dueTodayDms(REP)).toHaveLength(0);

    await tickAt('2026-12-01T14:00:00Z'); // 09:00
    await tickAt('2026-12-01T14:01:00Z');
    expect(dueTodayDms(REP)).toHaveLength(1);
    expect(dueTodayDms(MANAGER)).toHaveLength(1);
    const repDm = blocksText(dueTodayDms(REP)[0]!);
    expect(repDm).toContain('Send the security questionnaire template to SE');
    expect(repDm).toContain('Book a pricing review with finance');
    expect(repDm).toContain('Lessons were learned');
    expect(repDm).not.toContain('Already handled');
    expect(repDm).not.toContain('Due tomorrow');
    expect(blocksText(dueTodayDms(MANAGER)[0]!)).toContain('Update the battlecard for Globex');
    assertWithinSlackLimits({ text: String(dueTodayDms(REP)[0]!.args.text), blocks: dueTodayDms(REP)[0]!.args.blocks as KnownBlock[] });

    // Added (or moved to today) after the morning DM: one more DM, with that item only.
    await addItem('Call the champion back', REP, '2026-12-01');
    await tickAt('2026-12-01T16:00:00Z');
    await tickAt('2026-12-01T16:01:00Z');
    expect(dueTodayDms(REP)).toHaveLength(2);
    const later = blocksText(dueTodayDms(REP)[1]!);
    expect(later).toContain('Call the champion back');
    expect(later).not.toContain('Book a pricing review');

    await tickAt('2026-12-02T14:00:00Z'); // the next morning: tomorrow's item
    expect(dueTodayDms(REP)).toHaveLength(3);
    expect(blocksText(dueTodayDms(REP)[2]!)).toContain('Due tomorrow');
    expect(dueTodayDms(MANAGER)).toHaveLength(1);
  });
});

describe.each(DATABASE_KINDS)('reminders with OAuth installs in several workspaces, on %s', (kind) => {
  const clock = fakeClock(MONDAY_10_UTC);
  const globex = { code: 'code-globex', teamId: 'T0GLOBEX1', token: 'xoxb-globex-2222-SECRET' };
  let harness: THarness;

  beforeAll(async () => {
    harness = await startHarness(kind, {
      now: clock.now,
      slack: { botToken: undefined, oauth: { clientId: '1234567890.0987654321', clientSecret: 'abcdef0123456789abcdef', stateSecret: 'state-secret-for-tests-only' } },
      encryptionKeys: [randomBytes(32)],
    });
    harness.slack.setResponse('oauth.v2.access', (args) =>
      args.code === globex.code
        ? { ok: true, app_id: 'A0TEST', access_token: globex.token, token_type: 'bot', scope: 'chat:write,im:write', bot_user_id: 'U0BOTGLBX', team: { id: globex.teamId, name: 'Globex' }, enterprise: null, is_enterprise_install: false, authed_user: { id: 'U0ADMIN01' } }
        : { ok: false, error: 'invalid_code' },
    );
    harness.slack.setResponse('auth.test', (_args, call) =>
      call.token === globex.token ? { ok: true, team_id: globex.teamId, user_id: 'U0BOTGLBX', bot_id: 'B0GLOBEX', is_enterprise_install: false } : { ok: false, error: 'invalid_auth' },
    );
    // "Add to Slack", as a browser follows it.
    const start = await fetch(`${harness.http.baseUrl}/slack/install`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
    const installed = await fetch(`${harness.http.baseUrl}/slack/oauth_redirect?code=${globex.code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
    expect(installed.status).toBe(200);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it("DMs with the workspace's own token, not a token of the app", async () => {
    const submission = viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName: 'Globex-side loss' }) });
    await postInteraction(harness.http, { ...submission, team: { id: globex.teamId, domain: 'globex' }, user: { id: REP, username: 'rep', team_id: globex.teamId } });
    const prompt = await harness.slack.waitForCall('chat.postMessage', (call) => call.args.thread_ts !== undefined && String(call.args.text).includes('Globex-side loss'));
    expect(prompt.token).toBe(globex.token);
    clock.set('2026-11-24T10:00:00Z');
    await harness.debrief.scheduler.tick();
    const nudge = harness.slack.calls('chat.postMessage').find((call) => call.args.channel === DM_CHANNEL && String(call.args.text).startsWith('Reminder'));
    expect(nudge?.token).toBe(globex.token);
    expect(harness.slack.calls('conversations.open').map((call) => call.token)).toEqual([globex.token]);
  });
});
