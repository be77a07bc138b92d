import { PROCESS_RETRO_CHANNEL, startAppProcess, type TAppProcess } from '../helpers/appProcess';
import { createTestDatabase, type TTestDatabase } from '../helpers/database';
import { FakeSlack } from '../helpers/fakeSlack';
import { waitForPromptedRetroIds } from '../helpers/faultChecks';
import { blockAction, logFormState, viewSubmission } from '../helpers/payloads';
import { postCommand, postInteraction } from '../helpers/slackRequests';
import { ACTIONS, CALLBACKS } from '../../src/slack/ids';

// WORK_THREAD, as `npm start` runs it with PostgreSQL: the main thread answers Slack and hands the
// work to the work thread. The process is the real entry point; the counters in /metrics say which
// thread did what (the hand-offs are counted on the main thread, the outbox's deliveries on the work
// thread, and one scrape shows both).

const describeOnPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

async function scrape(app: TAppProcess): Promise<string> {
  return (await fetch(`${app.baseUrl}/metrics`)).text();
}

async function scrapeUntil(app: TAppProcess, done: (metrics: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let metrics = await scrape(app);
  while (!done(metrics) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    metrics = await scrape(app);
  }
  return metrics;
}

function counter(metrics: string, name: string, labels: string): number {
  const line = metrics.split('\n').find((candidate) => candidate.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describeOnPostgres('the work thread (PostgreSQL)', () => {
  let slack: FakeSlack;
  let database: TTestDatabase;
  let app: TAppProcess | undefined;

  beforeEach(async () => {
    [slack, database] = await Promise.all([FakeSlack.start(), createTestDatabase('postgres', { persistent: true })]);
  });
  afterEach(async () => {
    await app?.kill9();
    app = undefined;
    await slack.stop();
    await database.drop();
  });

  it('opens modals and retro threads from the work thread while the main thread answers, and stops cleanly', async () => {
    app = await startAppProcess({ database: database.config, slackApiUrl: slack.url, label: 'work-thread' });

    const command = await postCommand(app.http, { command: '/losses', text: 'log', team_id: 'T0TEST', user_id: 'U0REP00001' });
    expect(command.status).toBe(200);
    const logModal = await slack.waitForCall('views.open', undefined, 15_000);
    expect((logModal.args.view as { callback_id: string }).callback_id).toBe(CALLBACKS.logLostDealModal);

    const submitted = await postInteraction(app.http, viewSubmission({ callbackId: CALLBACKS.logLostDealModal, values: logFormState({ dealName: 'Threaded Deal' }) }));
    expect(submitted.status).toBe(200);
    const [retroId] = await waitForPromptedRetroIds(slack, PROCESS_RETRO_CHANNEL, ['Threaded Deal']);

    slack.reset();
    const click = await postInteraction(app.http, blockAction({ actionId: ACTIONS.openDebrief, value: retroId! }));
    expect(click.status).toBe(200);
    const debriefModal = await slack.waitForCall('views.open', undefined, 15_000);
    expect((debriefModal.args.view as { callback_id: string }).callback_id).toBe(CALLBACKS.debriefModal);

    // The thread's DMs may still be going out when the prompt is seen: its delivery counts once they are.
    const metrics = await scrapeUntil(app, (text) => counter(text, 'debrief_outbox_deliveries_total', 'kind="retro.open",outcome="delivered"') > 0);
    expect(counter(metrics, 'debrief_slack_handed_off_total', 'type="command"')).toBe(1);
    expect(counter(metrics, 'debrief_slack_handed_off_total', 'type="block_actions"')).toBe(1);
    // The form stayed on the main thread (it is answered after its row is queued) ...
    expect(counter(metrics, 'debrief_slack_handed_off_total', 'type="view_submission"')).toBe(0);
    // ... and the work thread's outbox stored the loss and opened its thread.
    expect(counter(metrics, 'debrief_outbox_deliveries_total', 'kind="loss.log",outcome="delivered"')).toBe(1);
    expect(counter(metrics, 'debrief_outbox_deliveries_total', 'kind="retro.open",outcome="delivered"')).toBe(1);
    expect(Number(/^debrief_work_thread_heap_used_bytes (\S+)$/m.exec(metrics)?.[1])).toBeGreaterThan(1_000_000);

    const exit = await app.stop();
    expect(exit).toEqual({ code: 0, signal: null });
  });

  it('does everything on one thread with WORK_THREAD=off', async () => {
    app = await startAppProcess({ database: database.config, slackApiUrl: slack.url, label: 'one-thread', env: { WORK_THREAD: 'off' } });
    await postCommand(app.http, { command: '/losses', text: 'log' });
    await slack.waitForCall('views.open', undefined, 15_000);
    const metrics = await scrape(app);
    expect(counter(metrics, 'debrief_slack_handed_off_total', 'type="command"')).toBe(0);
    expect(await app.stop()).toEqual({ code: 0, signal: null });
  });
});
