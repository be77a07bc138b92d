import { PROCESS_RETRO_CHANNEL, PROCESS_WEBHOOK_SECRET, startAppProcess, type TAppProcess } from '../helpers/appProcess';
import { createTestDatabase, DATABASE_KINDS, type TTestDatabase } from '../helpers/database';
import { FakeSlack } from '../helpers/fakeSlack';
import { expectEachOnce, expireDeadInstanceLeases, waitForEveryThread, waitForPromptedRetroIds } from '../helpers/faultChecks';
import { REP } from '../helpers/payloads';
import { deliverLossUntilAccepted, describeSenders, genericLoss, logLossUntilClosed, stopAllSenders, submitDebriefUntilClosed, type TSendResult } from '../helpers/patientSenders';

// Fault test: the instance is killed the moment it has answered: a modal closed, a webhook got its
// 200. Whatever a sender was told was accepted must already be stored, since nobody sends it again:
// the person saw the modal close, the CRM saw a 2xx. See the README's "Fault tests".

const OWNER_EMAIL = 'dana.reyes@northwind.example';

describe('kill -9 right after an answer', () => {
  const kind = DATABASE_KINDS.at(-1)!;
  let slack: FakeSlack;
  let database: TTestDatabase;
  const processes: TAppProcess[] = [];

  beforeAll(async () => {
    [slack, database] = await Promise.all([FakeSlack.start(), createTestDatabase(kind, { persistent: true })]);
  });
  afterAll(async () => {
    stopAllSenders();
    await Promise.all(processes.map((app) => app.kill9()));
    await slack?.stop();
    await database?.drop();
  });

  it(`keeps every accepted loss and debrief (${kind})`, async () => {
    slack.addUser({ id: REP, email: OWNER_EMAIL, name: 'dana', realName: 'Dana Reyes' });
    const first = await startAppProcess({ database: database.config, slackApiUrl: slack.url, label: `answer:${kind}#1` });
    processes.push(first);
    let current = first;
    const beforeNames = ['Answer before 1', 'Answer before 2'];
    await Promise.all(beforeNames.map((name, index) => deliverLossUntilAccepted(() => current.baseUrl, PROCESS_WEBHOOK_SECRET, genericLoss(`ANS-BEFORE-${index + 1}`, name, { ownerEmail: OWNER_EMAIL }))));
    const retroIds = await waitForPromptedRetroIds(slack, PROCESS_RETRO_CHANNEL, beforeNames);

    // Everything at once; the first answer to arrive kills the instance, whichever it is.
    const loggedNames = ['Answer logged 1', 'Answer logged 2', 'Answer logged 3'];
    const webhookNames = ['Answer webhook 1', 'Answer webhook 2'];
    let killed: Promise<void> | undefined;
    let kill!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (kill = resolve));
    // Killed from the same tick as the answer arrives: the app has had no time to finish anything after it.
    const killOnFirstAnswer = (result: TSendResult): TSendResult => {
      if (result.attempts.length === 1 && killed === undefined) {
        killed = first.kill9();
        kill();
      }
      return result;
    };
    const senders = [
      ...loggedNames.map((name, index) => logLossUntilClosed(() => current.http, name, `VANSLOG${index + 1}`, { deadlineMs: 60_000 }).then(killOnFirstAnswer)),
      ...retroIds.map((retroId, index) => submitDebriefUntilClosed(() => current.http, retroId, `VANSDEBRIEF${index + 1}`, { deadlineMs: 60_000 }).then(killOnFirstAnswer)),
      ...webhookNames.map((name, index) => deliverLossUntilAccepted(() => current.baseUrl, PROCESS_WEBHOOK_SECRET, genericLoss(`ANS-${index + 1}`, name, { ownerEmail: OWNER_EMAIL }), { deadlineMs: 60_000 }).then(killOnFirstAnswer)),
    ];
    await firstAnswer;
    await killed;
    await expireDeadInstanceLeases(database.config);
    current = await startAppProcess({ database: database.config, slackApiUrl: slack.url, port: first.port, label: `answer:${kind}#2` });
    processes.push(current);
    const results = await Promise.all(senders);

    const expected = { dealNames: [...beforeNames, ...loggedNames, ...webhookNames], debriefedNames: beforeNames };
    await waitForEveryThread(slack, PROCESS_RETRO_CHANNEL, expected, {
      timeoutMs: 20_000,
      explain: () => `Senders (a first answer, then the kill):\n${describeSenders(results)}\nKilled instance:\n${first.output()}\nNew instance:\n${current.output()}`,
    });
    expect(await current.stop()).toEqual({ code: 0, signal: null });
    await expectEachOnce(slack, PROCESS_RETRO_CHANNEL, database.config, expected);
  }, 120_000);
});
