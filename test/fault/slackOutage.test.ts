import { PROCESS_RETRO_CHANNEL, PROCESS_WEBHOOK_SECRET, startAppProcess, type TAppProcess } from '../helpers/appProcess';
import { createTestDatabase, DATABASE_KINDS, type TTestDatabase } from '../helpers/database';
import { FakeSlack } from '../helpers/fakeSlack';
import { expectEachOnce, waitForOutboxDrained, waitForEveryThread, waitForPromptedRetroIds } from '../helpers/faultChecks';
import { REP } from '../helpers/payloads';
import { deliverLossUntilAccepted, describeSenders, genericLoss, stopAllSenders, logLossUntilClosed, submitDebriefUntilClosed, type TSendResult } from '../helpers/patientSenders';
import { sleep } from '../helpers/wait';

// Fault test: Slack answers every call with 429 (Retry-After) and 500 in turn for several seconds,
// while losses and debriefs come in; then the first posts after the outage are carried out but
// their answers are lost on the way back. Afterwards every message is in Slack exactly once.
// The app runs as a real process with its production Slack client settings. See the README's
// "Fault tests". PostgreSQL when TEST_DATABASE_URL is set, else PGlite: the database is not the
// point here.

const OWNER_EMAIL = 'dana.reyes@northwind.example';
const OUTAGE_MS = 8000;

describe('Slack answering 429 and 500 for a while', () => {
  const kind = DATABASE_KINDS.at(-1)!;
  let slack: FakeSlack;
  let database: TTestDatabase;
  let app: TAppProcess | undefined;

  beforeAll(async () => {
    slack = await FakeSlack.start();
    database = await createTestDatabase(kind, { persistent: true });
  });
  afterAll(async () => {
    stopAllSenders();
    await app?.kill9();
    await slack?.stop();
    await database?.drop();
  });

  it(`delivers every thread, prompt and summary once the outage ends, each once (${kind})`, async () => {
    slack.addUser({ id: REP, email: OWNER_EMAIL, name: 'dana', realName: 'Dana Reyes' });
    const running = await startAppProcess({ database: database.config, slackApiUrl: slack.url, label: `outage:${kind}` });
    app = running;
    const baseUrl = () => running.baseUrl;
    const http = () => running.http;

    const beforeNames = ['Outage before 1', 'Outage before 2', 'Outage before 3'];
    await Promise.all(beforeNames.map((name, index) => deliverLossUntilAccepted(baseUrl, PROCESS_WEBHOOK_SECRET, genericLoss(`OUT-BEFORE-${index + 1}`, name, { ownerEmail: OWNER_EMAIL }))));
    const retroIds = await waitForPromptedRetroIds(slack, PROCESS_RETRO_CHANNEL, beforeNames);

    // Slack goes down for every method; once it is back, the first two posts are carried out but
    // their answers never arrive (the app must find them rather than post them again).
    const outageStarted = Date.now();
    slack.outage('all', OUTAGE_MS, 'alternate', 1);
    slack.loseAnswerNext('chat.postMessage', 2);
    const webhookNames = Array.from({ length: 6 }, (_, index) => `Outage webhook ${index + 1}`);
    const loggedNames = ['Outage logged 1', 'Outage logged 2'];
    const senders: Array<Promise<TSendResult>> = [
      ...webhookNames.map((name, index) => deliverLossUntilAccepted(baseUrl, PROCESS_WEBHOOK_SECRET, genericLoss(`OUT-${index + 1}`, name, { ownerEmail: OWNER_EMAIL }), { deadlineMs: 60_000 })),
      ...loggedNames.map((name, index) => logLossUntilClosed(http, name, `VOUTLOG${index + 1}`, { deadlineMs: 60_000 })),
      ...retroIds.map((retroId, index) => submitDebriefUntilClosed(http, retroId, `VOUTDEBRIEF${index + 1}`, { deadlineMs: 60_000 })),
    ];
    await sleep(1000);
    // The outage was real: Slack refused posts while it lasted.
    const refusedDuring = () => slack.calls().filter((call) => (call.status === 429 || call.status === 500) && call.at >= outageStarted);
    const results = await Promise.all(senders);

    const expected = { dealNames: [...beforeNames, ...webhookNames, ...loggedNames], debriefedNames: beforeNames };
    await waitForEveryThread(slack, PROCESS_RETRO_CHANNEL, expected, {
      timeoutMs: OUTAGE_MS + 30_000,
      explain: () => `Senders:\n${describeSenders(results)}\nApp:\n${running.output()}`,
    });
    expect(refusedDuring().some((call) => call.method === 'chat.postMessage' && call.status === 429)).toBe(true);
    expect(refusedDuring().some((call) => call.method === 'chat.postMessage' && call.status === 500)).toBe(true);
    expect(slack.calls('chat.postMessage').filter((call) => call.status === 0)).toHaveLength(2);
    // The app kept answering people and CRMs in time while Slack was down.
    const evidence = `Senders:\n${describeSenders(results)}\nApp:\n${running.output()}`;
    expect({ hangs: results.flatMap((result) => result.attempts).filter((attempt) => attempt.outcome === 'timed_out'), evidence }).toEqual({ hangs: [], evidence });
    expect(running.alive()).toBe(true);
    if (kind === 'postgres') await waitForOutboxDrained(database.config);

    expect(await running.stop()).toEqual({ code: 0, signal: null });
    await expectEachOnce(slack, PROCESS_RETRO_CHANNEL, database.config, expected);
  }, 120_000);
});
