import { OUTCOMES, labelOf } from '../domain/debrief';
import { DEFAULT_REASON_CATALOG, reasonLabel, type TReasonCatalog } from '../domain/lossReasons';
import { FIRST_PAGE, type TSearchHit } from '../domain/search';
import { slackErrorCode } from '../errors';
import { todayIn } from '../lib/dates';
import { parseSearchQuery } from '../slack/parsers/searchQuery';
import { loadReasonCatalog } from './lossReasons';
import { searchScopeFor, type TSearchDeps } from './search';

// `/losses export [search]`: the matching losses as a CSV file in the manager's DM, for a
// spreadsheet or a BI tool. Same search, same ranking and same visibility as /losses.

/** A DM upload should stay small; a search that matches more is asked to narrow down. */
export const EXPORT_MAX_ROWS = 5_000;

const COLUMNS: Array<[header: string, value: (hit: TSearchHit, reasons: TReasonCatalog) => string | number | null]> = [
  ['Deal', (hit) => hit.dealName],
  ['Winner', (hit) => hit.competitor],
  ['Outcome', (hit) => (hit.outcome ? labelOf(OUTCOMES, hit.outcome) : null)],
  ['Main reason', (hit, reasons) => (hit.primaryReason ? reasonLabel(reasons, hit.primaryReason) : null)],
  ['Amount', (hit) => hit.amount],
  ['Currency', (hit) => hit.currency],
  ['Lost on', (hit) => hit.lostOn],
  ['Retro status', (hit) => hit.status],
  ['Owner Slack ID', (hit) => hit.ownerSlackUserId],
  ['Owner', (hit) => hit.ownerName],
  ['Why the winner won', (hit) => hit.whyWinnerWon],
  ['Lessons', (hit) => hit.lessonsCount],
  ['First lesson', (hit) => hit.firstLesson],
  ['Retro thread', (hit) => hit.permalink],
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A leading = + - @
 * would make a spreadsheet run the cell as a formula, so such text gets a leading apostrophe.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `reasons`: the workspace's loss reasons, so the file says what the team calls them now. */
export function buildLossesCsv(hits: TSearchHit[], reasons: TReasonCatalog = DEFAULT_REASON_CATALOG): string {
  const lines = [COLUMNS.map(([header]) => csvField(header)).join(',')];
  for (const hit of hits) lines.push(COLUMNS.map(([, value]) => csvField(value(hit, reasons))).join(','));
  // CRLF as RFC 4180 says, and a byte-order mark so Excel reads the UTF-8 names right.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export type TExportOutcome =
  | { kind: 'not_manager' }
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'sent'; count: number; truncated: boolean; channelId: string }
  | { kind: 'upload_failed'; error: string };

export async function exportLosses(
  deps: TSearchDeps,
  input: { slackTeamId: string; slackUserId: string; text: string },
): Promise<TExportOutcome> {
  const [context, reasons] = await Promise.all([searchScopeFor(deps, input), loadReasonCatalog(deps, { slackTeamId: input.slackTeamId })]);
  // No workspace row yet means no losses yet: a manager gets an empty file, not an error.
  const isManager = context?.isManager ?? (await deps.managers.isManager(deps.client, input.slackUserId));
  if (!isManager) return { kind: 'not_manager' };
  const today = context?.today ?? todayIn('UTC', deps.now?.() ?? new Date());
  const parsed = parseSearchQuery(input.text, { today, reasons });
  if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems };

  const page = context ? await deps.repos.search.search(parsed.query, context.scope, { limit: EXPORT_MAX_ROWS, from: FIRST_PAGE }) : { hits: [], next: null };
  const csv = buildLossesCsv(page.hits, reasons);
  try {
    const dm = await deps.client.conversations.open({ users: input.slackUserId });
    const channelId = dm.channel?.id;
    if (!channelId) return { kind: 'upload_failed', error: 'conversations.open returned no channel' };
    const searched = input.text.trim() ? `matching \`${input.text.trim().replace(/`/g, "'")}\`` : 'all losses';
    await deps.client.files.uploadV2({
      channel_id: channelId,
      file: Buffer.from(csv, 'utf-8'),
      filename: `debrief-losses-${today}.csv`,
      title: `Lost deals, ${today}`,
      initial_comment: `${page.hits.length} lost ${page.hits.length === 1 ? 'deal' : 'deals'} ${searched}${page.next ? ` (the first ${EXPORT_MAX_ROWS.toLocaleString('en-US')}: narrow the search for the rest)` : ''}.`,
    });
    return { kind: 'sent', count: page.hits.length, truncated: page.next !== null, channelId };
  } catch (error) {
    const code = slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
    deps.logger.warn(`Export for ${input.slackUserId} failed: ${code}`);
    return { kind: 'upload_failed', error: code };
  }
}
