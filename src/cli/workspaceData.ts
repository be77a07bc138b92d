import 'dotenv/config';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseConfig } from '../config/env';
import { openDatabase } from '../db/client';
import { describeCounts } from '../domain/workspaceData';
import { createRepositories } from '../repositories';
import { deleteWorkspaceData, writeWorkspaceExport } from '../services/workspaceData';
import { runCli, UsageError } from './runCli';

// `npm run workspace:data -- export|delete --team T…`: a workspace's data for operators, the same
// export and delete as /losses data, for when nobody in the workspace can run the command any more
// (Debrief was uninstalled, and the data waits out DATA_RETENTION_DAYS).

const USAGE = `Usage: npm run workspace:data -- export --team T0123ABCD [--out FILE]
       npm run workspace:data -- delete --team T0123ABCD --yes

  export         writes everything Debrief stores for the workspace as JSON (format
                 debrief.workspace-export, see the README), to FILE or to standard output
  delete         deletes all of it at once (the Slack installation, if any, stays)
  --team ID      the workspace's Slack team id
  --out FILE     where to write the export (default: standard output)
  --yes          confirms a delete; without it nothing is deleted

With the embedded database (no DATABASE_URL), stop Debrief first: only one process can open it.`;

const ZArguments = z.discriminatedUnion('action', [
  z.object({ action: z.literal('export'), team: z.string().regex(/^T[A-Z0-9]+$/, 'must be a Slack team id (T…)'), out: z.string().min(1).optional(), yes: z.boolean().optional() }),
  z.object({ action: z.literal('delete'), team: z.string().regex(/^T[A-Z0-9]+$/, 'must be a Slack team id (T…)'), out: z.never({ error: 'is for export only' }).optional(), yes: z.literal(true, { error: 'is required to delete' }) }),
]);


function readArguments(argv: string[]): z.infer<typeof ZArguments> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { team: { type: 'string' }, out: { type: 'string' }, yes: { type: 'boolean' }, help: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.values.help) throw new UsageError('');
  if (parsed.positionals.length !== 1) throw new UsageError('Say export or delete, once.');
  const result = ZArguments.safeParse({ action: parsed.positionals[0], ...parsed.values });
  if (!result.success) throw new UsageError(result.error.issues.map((issue) => (issue.path[0] === 'action' ? 'The action is export or delete.' : `--${issue.path.join('.')} ${issue.message}`)).join('; '));
  return result.data;
}

/** Writes to the stream, waiting when its buffer is full: memory holds a page, not the export. */
function streamWriter(stream: NodeJS.WritableStream | WriteStream) {
  return async (chunk: string) => {
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
}

async function main(): Promise<void> {
  const args = readArguments(process.argv.slice(2));
  const config = parseConfig(process.env);
  const database = await openDatabase(config.database);
  try {
    const repos = createRepositories(database.prisma, { defaultTimeZone: config.reminders.defaultTimeZone });
    const now = new Date();
    if (args.action === 'export') {
      const file = args.out ? createWriteStream(args.out) : undefined;
      const summary = await writeWorkspaceExport({ repos }, { slackTeamId: args.team, now }, streamWriter(file ?? process.stdout));
      if (file) {
        file.end();
        await once(file, 'close');
      }
      if (!summary) throw new UsageError(`Debrief stores nothing for workspace ${args.team} in this database.`);
      console.error(`Exported workspace ${args.team}${args.out ? ` to ${args.out}` : ''}: ${describeCounts(summary.counts)} (${summary.bytes} bytes).`);
      return;
    }
    // Operators' deletes are audited like managers': the log line names who ran it.
    const logger = { debug: () => undefined, info: console.error, warn: console.error, error: console.error };
    const result = await deleteWorkspaceData({ repos, logger }, { slackTeamId: args.team, requestedBy: `operator ${process.env.USER ?? process.env.LOGNAME ?? 'unknown'} (npm run workspace:data)`, now });
    console.log(result ? `Deleted everything Debrief stored for workspace ${args.team}: ${describeCounts(result.deleted)}.` : `Debrief stores nothing for workspace ${args.team}; nothing was deleted.`);
  } finally {
    await database.close();
  }
}

runCli(main, { usage: USAGE, failed: 'The workspace data command failed' });
