import type { WebClient } from '@slack/web-api';
import { slackErrorCode } from '../errors';
import type { TLogger } from '../lib/logger';
import { describeCounts } from '../domain/workspaceData';
import type { TRepositories } from '../repositories';
import { WORKSPACE_DATA_SECTIONS, type TDeletedCounts, type TWorkspaceDataSection } from '../repositories/workspaceData';

// A workspace's data on demand: everything Debrief stores for it as one JSON document
// (`/losses data export`, `npm run workspace:data -- export`), or all of it deleted
// (`/losses data delete`, `npm run workspace:data -- delete`). The format is documented in the
// README ("Exporting or deleting a workspace's data"); change WORKSPACE_EXPORT_VERSION with it.

export const WORKSPACE_EXPORT_FORMAT = 'debrief.workspace-export';
/** Bumped when a key is renamed or removed; new keys may appear without a bump. */
export const WORKSPACE_EXPORT_VERSION = 1;

export type TExportCounts = Record<TWorkspaceDataSection, number>;

export interface TExportSummary {
  slackTeamId: string;
  counts: TExportCounts;
  bytes: number;
}

type TWriteChunk = (chunk: string) => void | Promise<void>;

/**
 * Writes the workspace's export to `write`, chunk by chunk: rows are read a page at a time and
 * written as they come, so memory holds one page, not the workspace. Returns null (writing
 * nothing) for a team Debrief has stored nothing for.
 *
 * The document: { format, version, exportedAt, workspace, digestSettings, <section>: [rows...]...,
 * counts }. Each row is the table's columns by their Prisma names; dates are ISO 8601 strings,
 * amounts decimal strings. CRM connections carry no credentials.
 */
export async function writeWorkspaceExport(
  deps: { repos: Pick<TRepositories, 'workspaceData'> },
  input: { slackTeamId: string; now: Date },
  write: TWriteChunk,
): Promise<TExportSummary | null> {
  const workspace = await deps.repos.workspaceData.workspaceRow(input.slackTeamId);
  if (!workspace) return null;
  const workspaceId = String(workspace.id);
  let bytes = 0;
  const out = async (chunk: string) => {
    bytes += Buffer.byteLength(chunk);
    await write(chunk);
  };
  const field = (key: string, value: unknown) => `  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`;

  await out('{\n');
  await out(field('format', WORKSPACE_EXPORT_FORMAT));
  await out(field('version', WORKSPACE_EXPORT_VERSION));
  await out(field('exportedAt', input.now.toISOString()));
  await out(field('workspace', workspace));
  await out(field('digestSettings', await deps.repos.workspaceData.digestSettings(workspaceId)));
  const counts = {} as TExportCounts;
  for (const section of WORKSPACE_DATA_SECTIONS) {
    let count = 0;
    await out(`  ${JSON.stringify(section)}: [`);
    for await (const row of deps.repos.workspaceData.rows(section, workspaceId)) {
      await out(`${count === 0 ? '\n' : ',\n'}    ${JSON.stringify(row)}`);
      count += 1;
    }
    await out(count === 0 ? '],\n' : '\n  ],\n');
    counts[section] = count;
  }
  await out(`  "counts": ${JSON.stringify(counts)}\n}\n`);
  return { slackTeamId: input.slackTeamId, counts, bytes };
}

export type TSendExportOutcome = { kind: 'sent'; summary: TExportSummary } | { kind: 'nothing_stored' } | { kind: 'upload_failed'; error: string };

/**
 * Builds the export and uploads it to the requester's DM. Slack wants the file's length before
 * the bytes, so the document is assembled in memory, as compact chunks (never as row objects).
 */
export async function sendWorkspaceExport(
  deps: { repos: Pick<TRepositories, 'workspaceData'>; client: WebClient; logger: TLogger },
  input: { slackTeamId: string; slackUserId: string; now: Date },
): Promise<TSendExportOutcome> {
  // Rows are gathered into 64 KiB buffers: a Buffer per row would cost more than the rows.
  const chunks: Buffer[] = [];
  let pending = '';
  const summary = await writeWorkspaceExport(deps, input, (chunk) => {
    pending += chunk;
    if (pending.length < 65_536) return;
    chunks.push(Buffer.from(pending, 'utf-8'));
    pending = '';
  });
  if (!summary) return { kind: 'nothing_stored' };
  chunks.push(Buffer.from(pending, 'utf-8'));
  const day = input.now.toISOString().slice(0, 10);
  try {
    const dm = await deps.client.conversations.open({ users: input.slackUserId });
    const channelId = dm.channel?.id;
    if (!channelId) return { kind: 'upload_failed', error: 'conversations.open returned no channel' };
    await deps.client.files.uploadV2({
      channel_id: channelId,
      file: Buffer.concat(chunks),
      filename: `debrief-data-${input.slackTeamId}-${day}.json`,
      title: `Debrief data export, ${day}`,
      initial_comment: `Everything Debrief stores for this workspace, as of ${day}: ${describeCounts(summary.counts)}. Format \`${WORKSPACE_EXPORT_FORMAT}\` version ${WORKSPACE_EXPORT_VERSION}; CRM credentials are never included.`,
    });
  } catch (error) {
    return { kind: 'upload_failed', error: slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error)) };
  }
  deps.logger.info(`Workspace data exported: team ${input.slackTeamId}, for ${input.slackUserId}, ${summary.bytes} bytes.`);
  return { kind: 'sent', summary };
}

export interface TDeletionResult {
  slackTeamId: string;
  deleted: TDeletedCounts;
  at: Date;
}

/**
 * Deletes everything Debrief stores for the workspace (one transaction; see
 * repositories/workspaceData deleteAll) and writes an audit line: who, when, how many of what.
 * Returns null when there was nothing stored. The Slack installation stays: Debrief keeps working
 * in the workspace, with default settings and no history.
 */
export async function deleteWorkspaceData(
  deps: { repos: Pick<TRepositories, 'workspaceData'>; logger: TLogger; forgetSettings?: (slackTeamId: string) => void },
  input: { slackTeamId: string; requestedBy: string; now: Date },
): Promise<TDeletionResult | null> {
  const result = await deps.repos.workspaceData.deleteAll(input.slackTeamId);
  deps.forgetSettings?.(input.slackTeamId);
  if (!result) {
    deps.logger.info(`Workspace data delete: team ${input.slackTeamId}, requested by ${input.requestedBy} at ${input.now.toISOString()}; nothing was stored.`);
    return null;
  }
  deps.logger.info(`Workspace data deleted: team ${input.slackTeamId}, requested by ${input.requestedBy} at ${input.now.toISOString()}; deleted ${JSON.stringify(result.deleted)}.`);
  return { slackTeamId: input.slackTeamId, deleted: result.deleted, at: input.now };
}
