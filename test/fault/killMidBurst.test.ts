import { createTestDatabase, DATABASE_KINDS, type TTestDatabase } from '../helpers/database';
import { PROCESS_RETRO_CHANNEL, PROCESS_WEBHOOK_SECRET, startAppProcess, type TAppProcess } from '../helpers/appProcess';
import { FakeSlack } from '../helpers/fakeSlack';
import { expectEachOnce, expireDeadInstanceLeases, waitForOutboxDrained, waitForEveryThread, waitForPromptedRetroIds } from '../helpers/faultChecks';
import { REP } from '../helpers/payloads';
import { deliverLossUntilAccepted, describeSenders, genericLoss, stopAllSenders, logLossUntilClosed, submitDebriefUntilClosed, type TSendResult } from '../helpers/patientSenders';
import { sleep, waitFor } from '../helpers/wait';

// Fault test: an instance is killed with SIGKILL in the middle of a burst of CRM losses, hand-logged
// losses and debrief submissions, while Slack has accepted posts whose answers the instance never
// read. The senders behave like the real ones (a CRM retries until it gets a 2xx, a person presses
// Submit again), a new instance starts on the same database, and then every loss must have exactly
// one thread with one debrief prompt, and every debrief exactly one summary: nothing lost, nothing
// twice. See the README's "Fault tests".

const OWNER_EMAIL = 'dana.reyes@northwind.example';
const BEFORE = 4; // retros opened before the burst, debriefed during it
const WEBHOOK_LOSSES = 10;
const LOGGED_LOSSES = 3;

describe.each(DATABASE_KINDS)('kill -9 in the middle of a burst, on %s', (kind) => {
  let slack: FakeSlack;
  let database: TTestDatabase;
  const processes: TAppProcess[] = [];

  beforeAll(async () => {
    slack = await FakeSlack.start();
    database = await createTestDatabase(kind, { persistent: true });
  });
  afterAll(async () => {
    stopAllSenders();
    await Promise.all(processes.map((app) => app.kill9()));
    await slack?.stop();
    await database?.drop();
  });

  async function start(port?: number): Promise<TAppProcess> {
    const app = await startAppProcess({ database: database.config, slackApiUrl: slack.url, port, label: `${kind}#${processes.length + 1}` });
    processes.push(app);
    return app;
  }

  it('leaves every loss one thread and every debrief one summary after a restart', async () => {
    slack.addUser({ id: REP, email: OWNER_EMAIL, name: 'dana', realName: 'Dana Reyes' });
    let current = await start();
    const baseUrl = () => current.baseUrl;
    const http = () => current.http;

    // Retros open before the burst, so that their owners can debrief during it.
    const beforeNames = Array.from({ length: BEFORE }, (_, index) => `Fault before ${index + 1}`);
    await Promise.all(beforeNames.map((name, index) => deliverLossUntilAccepted(baseUrl, PROCESS_WEBHOOK_SECRET, genericLoss(`BEFORE-${index + 1}`, name, { ownerEmail: OWNER_EMAIL }))));
    const beforeRetroIds = await waitForPromptedRetroIds(slack, PROCESS_RETRO_CHANNEL, beforeNames);

    // The burst. Slack carries out every post at once but answers 400 ms later, so that when the
    // instance dies some posts are in the channel without the instance knowing their ts.
    slack.delayAnswers('chat.postMessage', 400);
    slack.delayAnswers('chat.update', 400);
    const webhookNames = Array.from({ length: WEBHOOK_LOSSES }, (_, index) => `Fault webhook ${index + 1}`);
    const loggedNames = Array.from({ length: LOGGED_LOSSES }, (_, index) => `Fault logged ${index + 1}`);
    const senders: Array<Promise<TSendResult>> = [
      ...webhookNames.map((name, index) => deliverLossUntilAccepted(baseUrl, PROCESS_WEBHOOK_SECRET, genericLoss(`BURST-${index + 1}`, name, { ownerEmail: OWNER_EMAIL }), { deadlineMs: 60_000 })),
      ...loggedNames.map((name, index) => logLossUntilClosed(http, name, `VLOG${index + 1}FAULT`, { deadlineMs: 60_000 })),
      ...beforeRetroIds.map((retroId, index) => submitDebriefUntilClosed(http, retroId, `VDEBRIEF${index + 1}FAULT`, { deadlineMs: 60_000 })),
    ];
    // Killed once the burst is well under way: a few of its threads are posted, most are not.
    await waitFor(() => slack.messagesIn(PROCESS_RETRO_CHANNEL).filter((message) => JSON.stringify(message.blocks ?? []).includes('Lost: Fault webhook')).length >= 2, {
      timeoutMs: 20_000,
      message: 'the burst never reached Slack',
    });
    const first = current;
    await first.kill9();
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    slack.delayAnswers('chat.postMessage', 0);
    slack.delayAnswers('chat.update', 0);
    // The kill landed in the window that matters: posts Slack made whose answers the instance never read.
    await sleep(500);
    expect(slack.calls('chat.postMessage').filter((call) => call.status === 0).length).toBeGreaterThan(0);

    // The killed instance's outbox claims would be taken over once their lease ran out, a minute
    // from now; the test skips the wait. (On PGlite, the folder the killed instance left opens.)
    await expireDeadInstanceLeases(database.config);

    // A new instance on the same port and database; the senders keep trying until it answers.
    current = await start(first.port);
    const results = await Promise.all(senders);

    // Everything reported reaches Slack, then nothing more happens.
    const expected = { dealNames: [...beforeNames, ...webhookNames, ...loggedNames], debriefedNames: beforeNames };
    await waitForEveryThread(slack, PROCESS_RETRO_CHANNEL, expected, {
      timeoutMs: 30_000,
      explain: () => `Senders:\n${describeSenders(results)}\nKilled instance:\n${first.output()}\nNew instance:\n${current.output()}`,
    });
    if (kind === 'postgres') await waitForOutboxDrained(database.config);
    expect(await current.stop()).toEqual({ code: 0, signal: null });
    // On PGlite, reading the folder the killed instance used is a check of its own.
    await expectEachOnce(slack, PROCESS_RETRO_CHANNEL, database.config, expected);
  }, 150_000);
});
