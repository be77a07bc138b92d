import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '../../src/db/client';
import { WORKSPACE_DATA_SECTIONS } from '../../src/repositories/workspaceData';
import { WORKSPACE_EXPORT_FORMAT } from '../../src/services/workspaceData';
import { createTestDatabase, type TTestDatabase } from '../helpers/database';
import { SEEDED_SECRET, seedWorkspaceData } from '../helpers/workspaceDataSeed';

// `npm run workspace:data` as an operator runs it once Debrief is uninstalled and nobody can type
// /losses data in the workspace: its own process, configured by the environment, on an embedded
// database the app is not holding open.
const ROOT = path.join(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const LEAVING = 'T0LEAVING1';
const STAYING = 'T0STAYING1';

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(TSX, [path.join(ROOT, 'src/cli/workspaceData.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', USER: 'ops-oncall', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run workspace:data', () => {
  let database: TTestDatabase;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    database = await createTestDatabase('pglite', { persistent: true });
    const seeded = await openDatabase(database.config);
    try {
      await seedWorkspaceData(seeded.prisma, LEAVING, 'leaving');
      await seedWorkspaceData(seeded.prisma, STAYING, 'staying');
    } finally {
      await seeded.close();
    }
    if (database.config.kind !== 'pglite') throw new Error('a persistent PGlite database has a data folder');
    dataDir = database.config.dataDir;
    env = { SLACK_BOT_TOKEN: 'xoxb-1-2-3', SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef', RETRO_CHANNEL: 'C0RETROS01', DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("exports one workspace's data to a file, and to standard output", async () => {
    const file = path.join(dataDir, 'leaving.json');
    const toFile = await runCli(['export', '--team', LEAVING, '--out', file], env);
    expect(toFile.stderr).toContain(`Exported workspace ${LEAVING} to ${file}: 1 lost deal, 1 retro`);
    expect(toFile.code).toBe(0);
    const written = await readFile(file, 'utf-8');
    const document = JSON.parse(written) as Record<string, unknown>;
    expect(document).toMatchObject({ format: WORKSPACE_EXPORT_FORMAT, workspace: { slackTeamId: LEAVING } });
    for (const section of WORKSPACE_DATA_SECTIONS) expect([section, (document[section] as unknown[]).length]).toEqual([section, 1]);
    expect(written).not.toContain('staying');
    expect(written).not.toContain(SEEDED_SECRET('leaving'));

    const toStdout = await runCli(['export', '--team', LEAVING], env);
    expect(toStdout.code).toBe(0);
    expect((JSON.parse(toStdout.stdout) as { counts: unknown }).counts).toEqual(document.counts);
  }, 90_000);

  it('deletes only with --yes, only that workspace, and logs who did it', async () => {
    const unconfirmed = await runCli(['delete', '--team', LEAVING], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes is required to delete');

    const deleted = await runCli(['delete', '--team', LEAVING, '--yes'], env);
    expect(deleted.stdout).toContain(`Deleted everything Debrief stored for workspace ${LEAVING}: 1 lost deal, 1 retro`);
    expect(deleted.stderr).toContain('requested by operator ops-oncall (npm run workspace:data)');
    expect(deleted.code).toBe(0);

    const again = await runCli(['export', '--team', LEAVING], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`Debrief stores nothing for workspace ${LEAVING}`);
    const staying = await runCli(['export', '--team', STAYING], env);
    expect(staying.code).toBe(0);
    expect((JSON.parse(staying.stdout) as { counts: Record<string, number> }).counts.retros).toBe(1);
  }, 120_000);

  it('explains what it needs when the arguments are wrong', async () => {
    const nothing = await runCli([], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Say export or delete');
    const badTeam = await runCli(['export', '--team', 'acme'], env);
    expect(badTeam.code).toBe(2);
    expect(badTeam.stderr).toContain('--team must be a Slack team id');
    const outOnDelete = await runCli(['delete', '--team', LEAVING, '--yes', '--out', 'x.json'], env);
    expect(outOnDelete.code).toBe(2);
    expect(outOnDelete.stderr).toContain('--out is for export only');
  }, 60_000);
});
