import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '../../src/db/client';
import { createTestDatabase, type TTestDatabase } from '../helpers/database';
import { FakeSlack, FAKE_TEAM_ID } from '../helpers/fakeSlack';

// `npm run digest` as an operator runs it: its own process, configured by the environment, on an
// embedded database the app is not holding open.
const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function runDigest(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(TSX, [path.join(ROOT, 'src/cli/digest.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('npm run digest', () => {
  let database: TTestDatabase;
  let slack: FakeSlack;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('pglite', { persistent: true });
    slack = await FakeSlack.start();
    const seeded = await openDatabase(database.config);
    try {
      const workspace = await seeded.prisma.workspace.create({ data: { slackTeamId: FAKE_TEAM_ID, createdAt: new Date('2026-01-01T00:00:00Z') } });
      const deal = await seeded.prisma.deal.create({
        data: { workspaceId: workspace.id, source: 'manual', externalId: 'cli-1', name: 'Acme Corp renewal', amount: '48000', currency: 'USD', competitor: 'Globex', lostAt: new Date('2026-11-17T10:00:00Z') },
      });
      await seeded.prisma.retro.create({
        data: { workspaceId: workspace.id, dealId: deal.id, channelId: 'C0RETROS01', messageTs: '1763373600.000100', createdAt: new Date('2026-11-17T10:00:00Z') },
      });
    } finally {
      await seeded.close();
    }
    if (database.config.kind !== 'pglite') throw new Error('a persistent PGlite database has a data folder');
    dataDir = database.config.dataDir;
    env = {
      SLACK_BOT_TOKEN: 'xoxb-1-2-3',
      SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
      RETRO_CHANNEL: 'C0RETROS01',
      DIGEST_CHANNEL: 'C0DIGEST01',
      DIGEST_TZ: 'Europe/Berlin',
      SLACK_API_URL: slack.url,
      DATA_DIR: dataDir,
    };
  });
  afterAll(async () => {
    await slack?.stop();
    await database?.drop();
  });

  it('prints a week\'s digest without posting it, and writes the chart', async () => {
    const chartFile = path.join(dataDir, 'chart.png');
    const { code, output } = await runDigest(['--workspace', FAKE_TEAM_ID, '--period', '2026-W47', '--chart', chartFile], env);
    expect(output).toContain('# Loss digest: Nov 16 – 22, 2026');
    expect(output).toContain('Acme Corp renewal');
    expect(output).toContain('Not posted');
    expect(code).toBe(0);
    expect((await readFile(chartFile)).subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(slack.calls('chat.postMessage')).toHaveLength(0);
  }, 60_000);

  it('posts it with --post, once', async () => {
    const first = await runDigest(['--workspace', FAKE_TEAM_ID, '--period', '2026-W47', '--post'], env);
    expect(first.output).toContain('Posted the digest for 2026-W47 to C0DIGEST01');
    expect(first.code).toBe(0);
    const second = await runDigest(['--workspace', FAKE_TEAM_ID, '--period', '2026-W47', '--post'], env);
    expect(second.output).toContain('was already posted');
    expect(slack.calls('chat.postMessage').filter((call) => call.args.channel === 'C0DIGEST01' && call.args.thread_ts === undefined)).toHaveLength(1);
  }, 90_000);

  it('explains what it needs when the arguments are wrong', async () => {
    const missing = await runDigest([], env);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('--workspace is required');
    const badWeek = await runDigest(['--workspace', FAKE_TEAM_ID, '--period', '2025-W53'], env);
    expect(badWeek.code).toBe(2);
    expect(badWeek.output).toContain('is not an ISO week');
    const unknown = await runDigest(['--workspace', 'T0NOBODY'], env);
    expect(unknown.output).toContain('No workspace T0NOBODY');
  }, 90_000);
});
