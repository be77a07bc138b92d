import type {
  AllMiddlewareArgs,
  BlockAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { slackErrorCode } from '../../errors';
import { toIsoDate } from '../../lib/dates';
import { exportLosses, EXPORT_MAX_ROWS } from '../../services/lossExport';
import type { TReasonCatalog } from '../../domain/lossReasons';
import { loadReasonCatalog } from '../../services/lossReasons';
import { loadLossLibrary } from '../../services/lossLibrary';
import { searchLosses, type TSearchDeps, type TSearchOutcome } from '../../services/search';
import { buildLossLibraryHome } from '../blocks/lossLibrary';
import { buildSearchModal, buildSearchProblemBlocks, buildSearchResultsMessage } from '../blocks/search';
import { SEARCH_INPUTS } from '../ids';
import { parseSearchQuery, unescapeCommandText } from '../parsers/searchQuery';
import { parseSearchState } from '../parsers/searchState';
import { ZViewStateValues, textValue } from '../parsers/viewState';
import type { TListenerDeps } from './deps';

// Listeners for searching past losses: `/losses <search>` and `/losses export` (called from the
// /losses command handler), "More results", the App Home library and its search modal.

/** Slack waits 3 seconds for a view_submission answer; past this, results follow with views.update. */
export const MODAL_SEARCH_DEADLINE_MS = 2_000;

const SEARCH_UNAVAILABLE = ':warning: Search is not available right now. Please try again in a minute.';

function searchDeps(deps: TListenerDeps, client: WebClient): TSearchDeps {
  return { repos: deps.repos, client, managers: deps.managers, channelAccess: deps.channelAccess, logger: deps.logger, now: deps.now };
}

/** The fields of a slash command the search needs. */
export interface TSearchCommand {
  text: string;
  team_id: string;
  user_id: string;
}

/**
 * `/losses <search>`: a query Debrief cannot read is answered at once with what is wrong;
 * otherwise the command is acknowledged and the results follow through response_url.
 */
export async function answerSearchCommand(
  deps: TListenerDeps,
  args: { command: TSearchCommand; ack: (response?: object) => Promise<void>; respond: RespondFn; client: WebClient },
): Promise<void> {
  const command = { ...args.command, text: unescapeCommandText(args.command.text) };
  // Validity never depends on the day, so the check before ack() can use any "today"; it does
  // depend on the workspace's loss reasons (reason:), read once here for the search too.
  let reasons: TReasonCatalog;
  try {
    reasons = await loadReasonCatalog(deps, { slackTeamId: command.team_id });
  } catch (error) {
    deps.logger.error('Search failed', error);
    await args.ack({ response_type: 'ephemeral', text: SEARCH_UNAVAILABLE });
    return;
  }
  const check = parseSearchQuery(command.text, { today: toIsoDate(deps.now?.() ?? new Date()), reasons });
  if (!check.ok) {
    await args.ack({ response_type: 'ephemeral', text: 'I could not read that search', blocks: buildSearchProblemBlocks(command.text, check.problems) });
    return;
  }
  await args.ack();
  let outcome: TSearchOutcome;
  try {
    outcome = await searchLosses(searchDeps(deps, args.client), { slackTeamId: command.team_id, slackUserId: command.user_id, text: command.text, reasons });
  } catch (error) {
    deps.logger.error('Search failed', error);
    await args.respond({ response_type: 'ephemeral', text: SEARCH_UNAVAILABLE });
    return;
  }
  await args.respond({ response_type: 'ephemeral', ...buildSearchResultsMessage(outcome) });
}

/** `/losses export [search]`: managers get a CSV in their DM; everyone else is told who may. */
export async function answerExportCommand(
  deps: TListenerDeps,
  args: { command: TSearchCommand; ack: (response?: object) => Promise<void>; respond: RespondFn; client: WebClient },
): Promise<void> {
  const command = { ...args.command, text: unescapeCommandText(args.command.text) };
  await args.ack({ response_type: 'ephemeral', text: ':hourglass_flowing_sand: Preparing the export…' });
  let message: string;
  try {
    const outcome = await exportLosses(searchDeps(deps, args.client), { slackTeamId: command.team_id, slackUserId: command.user_id, text: command.text });
    switch (outcome.kind) {
      case 'not_manager':
        message = ':lock: Exports are for managers. Ask a manager, or search with `/losses <words>` to read the losses here.';
        break;
      case 'invalid':
        await args.respond({ response_type: 'ephemeral', replace_original: true, text: 'I could not read that search', blocks: buildSearchProblemBlocks(command.text, outcome.problems) });
        return;
      case 'sent':
        message =
          outcome.count === 0
            ? ':inbox_tray: No losses match that search; the CSV in your DMs has the column headings only.'
            : `:inbox_tray: Sent ${outcome.count} lost ${outcome.count === 1 ? 'deal' : 'deals'} as a CSV to your DMs${outcome.truncated ? ` (the first ${EXPORT_MAX_ROWS.toLocaleString('en-US')}; narrow the search for the rest)` : ''}.`;
        break;
      case 'upload_failed':
        message = `:warning: I could not send the file (${outcome.error}). If this keeps happening, check that Debrief has the files:write scope.`;
        break;
    }
  } catch (error) {
    deps.logger.error('Export failed', error);
    message = SEARCH_UNAVAILABLE;
  }
  await args.respond({ response_type: 'ephemeral', replace_original: true, text: message });
}

const ZMoreResults = z.object({
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  actions: z.array(z.object({ value: z.string() })).min(1),
  view: z.object({ id: z.string(), hash: z.string().optional() }).optional(),
});

/** "More results": the next page replaces the one shown, in the ephemeral message or in the modal. */
export function createSearchMoreHandler(deps: TListenerDeps) {
  return async ({ ack, body, client, respond }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZMoreResults.safeParse(body);
    const state = action.success ? parseSearchState(action.data.actions[0]!.value) : null;
    const teamId = action.success ? (action.data.team?.id ?? action.data.user.team_id) : undefined;
    if (!action.success || !state || !teamId) {
      deps.logger.warn('search_more pressed with an unreadable payload');
      await respond({ response_type: 'ephemeral', replace_original: false, text: 'That button is out of date: search again.' });
      return;
    }
    const outcome = await searchLosses(searchDeps(deps, client), {
      slackTeamId: teamId,
      slackUserId: action.data.user.id,
      text: state.q,
      from: { tier: state.t, offset: state.o },
      shownBefore: state.n,
    });
    const { view } = action.data;
    if (view) {
      await client.views.update({ view_id: view.id, ...(view.hash ? { hash: view.hash } : {}), view: buildSearchModal({ query: state.q, outcome }) });
    } else {
      await respond({ response_type: 'ephemeral', replace_original: true, ...buildSearchResultsMessage(outcome) });
    }
  };
}

const ZOpenSearch = z.object({ trigger_id: z.string() });

/** The App Home's "Search past losses" button. */
export function createOpenSearchHandler(deps: TListenerDeps) {
  return async ({ ack, body, client }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const action = ZOpenSearch.safeParse(body);
    if (!action.success) {
      deps.logger.warn('open_search pressed without a trigger_id');
      return;
    }
    await client.views.open({ trigger_id: action.data.trigger_id, view: buildSearchModal() });
  };
}

const ZSearchSubmission = z.object({
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  view: z.object({ id: z.string(), state: z.object({ values: ZViewStateValues }) }),
});

function raceDeadline<T>(work: Promise<T>, ms: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The search modal's Search: a query Debrief cannot read is shown on the input, inline; results
 * replace the modal's content (response_action update) when they are ready within the deadline,
 * else the modal says it is searching and views.update brings them.
 */
export function createSearchSubmissionHandler(deps: TListenerDeps) {
  return async ({ ack, body, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const submission = ZSearchSubmission.safeParse(body);
    const teamId = submission.success ? (submission.data.team?.id ?? submission.data.user.team_id) : undefined;
    if (!submission.success || !teamId) {
      await ack({ response_action: 'errors', errors: { [SEARCH_INPUTS.query.block]: 'This search box is out of date. Close it and open it again from the Debrief app.' } });
      return;
    }
    const text = textValue(submission.data.view.state.values, SEARCH_INPUTS.query) ?? '';
    const reasons = await loadReasonCatalog(deps, { slackTeamId: teamId }).catch((error: unknown) => {
      deps.logger.error('Search from the modal failed', error);
      return null;
    });
    if (!reasons) {
      await ack({ response_action: 'errors', errors: { [SEARCH_INPUTS.query.block]: 'Search is not available right now. Please try again in a minute.' } });
      return;
    }
    const check = parseSearchQuery(text, { today: toIsoDate(deps.now?.() ?? new Date()), reasons });
    if (!check.ok) {
      await ack({ response_action: 'errors', errors: { [SEARCH_INPUTS.query.block]: check.problems.join(' ').replace(/`/g, '').slice(0, 1900) } });
      return;
    }
    const searching = searchLosses(searchDeps(deps, client), { slackTeamId: teamId, slackUserId: submission.data.user.id, text, reasons });
    const outcome = await raceDeadline(searching, MODAL_SEARCH_DEADLINE_MS).catch((error: unknown) => {
      deps.logger.error('Search from the modal failed', error);
      return 'failed' as const;
    });
    if (outcome === 'failed') {
      await ack({ response_action: 'errors', errors: { [SEARCH_INPUTS.query.block]: 'Search is not available right now. Please try again in a minute.' } });
      return;
    }
    if (outcome !== 'late') {
      await ack({ response_action: 'update', view: buildSearchModal({ query: text, outcome }) });
      return;
    }
    await ack({ response_action: 'update', view: buildSearchModal({ query: text, searching: true }) });
    try {
      await client.views.update({ view_id: submission.data.view.id, view: buildSearchModal({ query: text, outcome: await searching }) });
    } catch (error) {
      deps.logger.error(`Showing late search results failed (${slackErrorCode(error) ?? String(error)})`);
    }
  };
}

const ZAppHomeOpened = z.object({
  team_id: z.string().optional(),
  event: z.object({ user: z.string(), tab: z.string().optional() }),
});

/** app_home_opened: publishes the loss library for the person who opened the Home tab. */
export function createAppHomeOpenedHandler(deps: TListenerDeps) {
  return async ({ body, client, context }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    const opened = ZAppHomeOpened.safeParse(body);
    const teamId = opened.success ? (opened.data.team_id ?? context.teamId) : undefined;
    // The Messages tab opens the DM; only the Home tab shows the library.
    if (!opened.success || !teamId || (opened.data.event.tab !== undefined && opened.data.event.tab !== 'home')) return;
    const userId = opened.data.event.user;
    try {
      const library = await loadLossLibrary(searchDeps(deps, client), { slackTeamId: teamId, slackUserId: userId });
      await client.views.publish({ user_id: userId, view: buildLossLibraryHome(library) });
    } catch (error) {
      deps.logger.error(`Publishing the loss library for ${userId} failed (${slackErrorCode(error) ?? String(error)})`, error);
    }
  };
}
