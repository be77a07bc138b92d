import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROCESS_RETRO_CHANNEL, PROCESS_SIGNING_SECRET, PROCESS_WEBHOOK_SECRET, ROOT, startAppProcess, TSX_LOADER, type TAppProcess } from '../helpers/appProcess';
import { createTestDatabase, type TTestDatabase } from '../helpers/database';
import { FAKE_TEAM_ID, FakeSlack } from '../helpers/fakeSlack';
import { expectEachOnce, waitForOutboxDrained, waitForEveryThread, waitForPromptedRetroIds } from '../helpers/faultChecks';
import { REP } from '../helpers/payloads';
import { deliverLossUntilAccepted, describeSenders, genericLoss, stopAllSenders, submitDebriefUntilClosed } from '../helpers/patientSenders';

// Fault test: two instances (two processes, like two pods behind a load balancer) on one
// PostgreSQL database, both running their outbox worker and scheduler. Every loss is delivered to
// both (a CRM's retry lands on the other pod) and every debrief submitted to both: each thread,
// prompt and summary is still in Slack once. Scheduled work across instances (digests, reminders)
// is proven in-process with a fake clock, in test/integration/digest.test.ts ("across instances")
// and test/integration/reminders.test.ts ("two instances at once"). PGlite cannot be shared by
// two processes, so this runs when TEST_DATABASE_URL is set. See the README's "Fault tests".

const OWNER_EMAIL = 'dana.reyes@northwind.example';
const DIGEST_CHANNEL = 'C0DIGEST01';

function runDigestCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'src/cli/digest.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: PROCESS_SIGNING_SECRET, RETRO_CHANNEL: PROCESS_RETRO_CHANNEL, DIGEST_CHANNEL, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

(process.env.TEST_DATABASE_URL ? describe : describe.skip)('two instances on one PostgreSQL database', () => {
  let slack: FakeSlack;
  let database: TTestDatabase;
  const apps: TAppProcess[] = [];

  beforeAll(async () => {
    [slack, database] = await Promise.all([FakeSlack.start(), createTestDatabase('postgres')]);
  });
  afterAll(async () => {
    stopAllSenders();
    await Promise.all(apps.map((app) => app.kill9()));
    await slack?.stop();
    await database?.drop();
  });

  it('posts every thread, prompt and summary once when both instances get every request', async () => {
    slack.addUser({ id: REP, email: OWNER_EMAIL, name: 'dana', realName: 'Dana Reyes' });
    // Both start together on a fresh database: migrations take turns on the advisory lock.
    apps.push(...(await Promise.all(['a', 'b'].map((label) => startAppProcess({ database: database.config, slackApiUrl: slack.url, label: `instance-${label}` })))));
    const [a, b] = apps as [TAppProcess, TAppProcess];
    // Slack answers posts a little late, so the two instances' work overlaps.
    slack.delayAnswers('chat.postMessage', 100);

    const names = Array.from({ length: 8 }, (_, index) => `Twice ${index + 1}`);
    const deliveries = names.flatMap((name, index) =>
      [a, b].map((app) => deliverLossUntilAccepted(() => app.baseUrl, PROCESS_WEBHOOK_SECRET, genericLoss(`TWICE-${index + 1}`, name, { ownerEmail: OWNER_EMAIL }), { deadlineMs: 30_000 })),
    );
    const delivered = await Promise.all(deliveries);
    const debriefedNames = names.slice(0, 4);
    const retroIds = await waitForPromptedRetroIds(slack, PROCESS_RETRO_CHANNEL, debriefedNames);
    const submissions = await Promise.all(retroIds.flatMap((retroId, index) => [a, b].map((app) => submitDebriefUntilClosed(() => app.http, retroId, `VTWICE${index + 1}`, { deadlineMs: 30_000 }))));

    const expected = { dealNames: names, debriefedNames };
    await waitForEveryThread(slack, PROCESS_RETRO_CHANNEL, expected, {
      timeoutMs: 30_000,
      explain: () => `Senders:\n${describeSenders([...delivered, ...submissions])}\nA:\n${a.output()}\nB:\n${b.output()}`,
    });
    await waitForOutboxDrained(database.config);
    expect(await Promise.all([a.stop(), b.stop()])).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    await expectEachOnce(slack, PROCESS_RETRO_CHANNEL, database.config, expected);
  }, 120_000);

  it('posts a week\'s digest once when two processes post it at the same moment', async () => {
    // `npm run digest -- --post` takes the same claim as the weekly schedule of every instance.
    const runs = await Promise.all([1, 2].map(() => runDigestCli(['--workspace', FAKE_TEAM_ID, '--period', '2026-W47', '--post'], { DATABASE_URL: database.config.kind === 'postgres' ? database.config.url : '', SLACK_API_URL: slack.url })));
    const outputs = runs.map((run) => run.output).join('\n---\n');
    const posted = slack.calls('chat.postMessage').filter((call) => call.args.channel === DIGEST_CHANNEL && call.args.thread_ts === undefined);
    expect({ posted: posted.length, outputs }).toEqual({ posted: 1, outputs });
    expect(runs.filter((run) => run.output.includes('Posted the digest for 2026-W47'))).toHaveLength(1);
    // The other one says why it did not post: already posted, or being posted right now (exit 1).
    expect(runs.filter((run) => /already posted|Another Debrief instance is posting/.test(run.output))).toHaveLength(1);
  }, 60_000);
});
