import type { WebClient } from '@slack/web-api';
import { broaderQueries, FIRST_PAGE, type TSearchCursor, type TSearchOutcome } from '../domain/search';

export type { TSearchOutcome } from '../domain/search';
import { todayIn } from '../lib/dates';
import type { TLogger } from '../lib/logger';
import type { TRepositories } from '../repositories';
import type { TSearchScope } from '../repositories/search';
import type { TReasonCatalog } from '../domain/lossReasons';
import { formatSearchQuery, parseSearchQuery } from '../slack/parsers/searchQuery';
import { loadReasonCatalog } from './lossReasons';
import type { TChannelAccess } from './channelAccess';
import type { TManagerDirectory } from './managers';

// Searching past losses for one person: their words understood, their reach worked out (the
// channels they can read, whether they are a manager), one page of results, and when nothing
// matched, wider searches that would find something.

export const RESULTS_PER_PAGE = 5;
const MAX_SUGGESTIONS = 2;

export interface TSearchDeps {
  repos: TRepositories;
  client: WebClient;
  managers: TManagerDirectory;
  channelAccess: TChannelAccess;
  logger: TLogger;
  now?: () => Date;
}

/** The workspace, today in its time zone, and what this person may see. */
export async function searchScopeFor(
  deps: Omit<TSearchDeps, 'now'> & { now?: () => Date },
  input: { slackTeamId: string; slackUserId: string },
): Promise<{ scope: TSearchScope; today: string; isManager: boolean } | null> {
  const workspace = await deps.repos.workspaces.findBySlackTeamId(input.slackTeamId);
  if (!workspace) return null;
  const [isManager, channels] = await Promise.all([
    deps.managers.isManager(deps.client, input.slackUserId),
    deps.repos.search.listRetroChannels(workspace.id),
  ]);
  const visibleChannelIds = await deps.channelAccess.readableChannels(deps.client, input.slackUserId, channels);
  return {
    scope: { workspaceId: workspace.id, visibleChannelIds, includeAnonymousAuthors: isManager },
    today: todayIn(workspace.timeZone, deps.now?.() ?? new Date()),
    isManager,
  };
}

export async function searchLosses(
  deps: TSearchDeps,
  /** `reasons`: the workspace's loss reasons when the caller has read them already. */
  input: { slackTeamId: string; slackUserId: string; text: string; from?: TSearchCursor; shownBefore?: number; limit?: number; reasons?: TReasonCatalog },
): Promise<TSearchOutcome> {
  const [context, reasons] = await Promise.all([searchScopeFor(deps, input), input.reasons ?? loadReasonCatalog(deps, { slackTeamId: input.slackTeamId })]);
  const today = context?.today ?? todayIn('UTC', deps.now?.() ?? new Date());
  const parsed = parseSearchQuery(input.text, { today, reasons });
  if (!parsed.ok) return { kind: 'invalid', text: input.text, problems: parsed.problems };
  const shownBefore = input.shownBefore ?? 0;
  if (!context) return { kind: 'results', text: input.text, query: parsed.query, page: { hits: [], next: null }, shownBefore, broader: [], reasons };

  const from = input.from ?? FIRST_PAGE;
  const page = await deps.repos.search.search(parsed.query, context.scope, { limit: input.limit ?? RESULTS_PER_PAGE, from });
  const broader: string[] = [];
  if (page.hits.length === 0 && shownBefore === 0) {
    for (const candidate of broaderQueries(parsed.query)) {
      if (broader.length >= MAX_SUGGESTIONS) break;
      if (await deps.repos.search.hasMatches(candidate, context.scope)) broader.push(formatSearchQuery(candidate));
    }
  }
  return { kind: 'results', text: input.text, query: parsed.query, page, shownBefore, broader, reasons };
}
