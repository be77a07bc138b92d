import type { KnownBlock, ModalView } from '@slack/types';
import { DEFAULT_REASON_CATALOG, reasonLabel, type TReasonCatalog } from '../../domain/lossReasons';
import { SNIPPET_MATCH_END, SNIPPET_MATCH_START, type TSearchHit, type TSearchOutcome } from '../../domain/search';
import { formatLongDate } from '../../lib/dates';
import { escapeMrkdwn, linkMrkdwn, mentionUser, truncate } from '../../lib/mrkdwn';
import { formatMoney } from '../../lib/money';
import { ACTIONS, CALLBACKS, COMMANDS, SEARCH_INPUTS } from '../ids';
import { MAX_QUERY_LENGTH, reasonSearchTerms, SEARCH_FILTERS } from '../parsers/searchQuery';
import { encodeSearchState } from '../parsers/searchState';
import { LIMITS, context, divider, plain, section } from './elements';

// Search results as Block Kit: an ephemeral message for /losses, or the App Home's search modal.
// Pure: an outcome in, blocks out. Everything a person wrote is escaped; matched words are bold.

export interface TSlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const STATUS_LABELS: Record<TSearchHit['status'], string> = {
  open: 'waiting for the debrief',
  debriefed: 'debriefed',
  reviewed: 'reviewed by the team',
  reopened: 'deal reopened',
};

const SNIPPET_MAX = 600;
const ANSWER_MAX = 300;

/** The passage ts_headline picked, escaped for mrkdwn, with the matched words in bold. */
export function renderSnippet(snippet: string): string {
  const plainText = snippet.replace(/\s+/g, ' ').trim();
  const escaped = escapeMrkdwn(truncate(plainText, SNIPPET_MAX))
    // Formatting characters a person typed must not pair up with the bold marks around matches.
    .replace(/[*_~`]/g, ' ');
  return escaped
    .split(SNIPPET_MATCH_START)
    .join('*')
    .split(SNIPPET_MATCH_END)
    .join('*')
    .replace(/\*(\s*)\*/g, '$1');
}

function winnerOf(hit: TSearchHit): string {
  if (hit.competitor) return `${escapeMrkdwn(hit.competitor)} won`;
  if (hit.outcome === 'no_decision') return 'No decision';
  if (hit.outcome === 'in_house') return 'Built in-house';
  return 'Winner not known';
}

function ownerOf(hit: TSearchHit): string | null {
  if (hit.ownerSlackUserId) return `owner ${mentionUser(hit.ownerSlackUserId)}`;
  return hit.ownerName ? `owner ${escapeMrkdwn(hit.ownerName)}` : null;
}

/** One result: the deal (linked to its thread), who won, the matched passage, why, the first lesson. */
export function buildSearchHitBlocks(hit: TSearchHit, position: number, reasons: TReasonCatalog = DEFAULT_REASON_CATALOG): KnownBlock[] {
  const title = hit.permalink ? `*${linkMrkdwn(hit.permalink, hit.dealName)}*` : `*${escapeMrkdwn(hit.dealName)}*`;
  const lines = [`${position}. ${title}  ·  ${winnerOf(hit)}`];
  if (hit.snippet && hit.snippet.includes(SNIPPET_MATCH_START)) lines.push(`>${renderSnippet(hit.snippet)}`);
  if (hit.whyWinnerWon) lines.push(`*Why they won:* ${escapeMrkdwn(truncate(hit.whyWinnerWon, ANSWER_MAX))}`);
  if (hit.firstLesson) {
    const more = hit.lessonsCount > 1 ? ` _(+${hit.lessonsCount - 1} more in the thread)_` : '';
    lines.push(`*Lesson:* ${escapeMrkdwn(truncate(hit.firstLesson, ANSWER_MAX))}${more}`);
  }
  const facts = [
    hit.primaryReason ? escapeMrkdwn(reasonLabel(reasons, hit.primaryReason)) : 'reason not given yet',
    formatMoney(hit.amount, hit.currency),
    `lost ${formatLongDate(hit.lostOn)}`,
    hit.lessonsCount === 1 ? '1 lesson' : `${hit.lessonsCount} lessons`,
    STATUS_LABELS[hit.status],
    ownerOf(hit),
  ].filter((fact): fact is string => fact !== null);
  return [section(lines.join('\n')), context(facts.join('  ·  '))];
}

function describeRange(outcome: Extract<TSearchOutcome, { kind: 'results' }>): string {
  const first = outcome.shownBefore + 1;
  const last = outcome.shownBefore + outcome.page.hits.length;
  const more = outcome.page.next ? ', more below' : '';
  return first === last ? `Result ${first}${more}` : `Results ${first}–${last}${more}`;
}

/** What the person typed, shown back as code: escaped too, since Slack reads <!channel> even there. */
function quoted(text: string): string {
  return `\`${escapeMrkdwn(truncate(text.replace(/`/g, "'"), 100))}\``;
}

/** What to show for an outcome, inside a message or a modal. */
export function buildSearchOutcomeBlocks(outcome: TSearchOutcome, options: { surface: 'message' | 'modal' }): KnownBlock[] {
  if (outcome.kind === 'invalid') return buildSearchProblemBlocks(outcome.text, outcome.problems);
  const typed = outcome.text.trim() ? quoted(outcome.text.trim()) : 'everything';
  if (outcome.page.hits.length === 0) {
    const blocks: KnownBlock[] = [section(outcome.shownBefore > 0 ? `No more losses match ${typed}.` : `:mag: No past losses match ${typed}.`)];
    if (outcome.broader.length > 0) {
      // Suggestions are built from what was typed: escaped like the query itself.
      const tries = outcome.broader.map((text) => `• ${options.surface === 'message' ? quoted(`${COMMANDS.losses} ${text}`) : quoted(text)}`);
      blocks.push(section(`These broader searches find something:\n${tries.join('\n')}`));
    } else if (outcome.shownBefore === 0) {
      blocks.push(section('Try fewer words, a shorter part of a name (`glob` finds Globex), or drop a filter.'));
    }
    blocks.push(context(`\`${COMMANDS.losses} help\` explains the search language.`));
    return blocks;
  }
  const blocks: KnownBlock[] = [context(`${describeRange(outcome)} for ${typed}, best match first`)];
  outcome.page.hits.forEach((hit, index) => {
    if (index > 0) blocks.push(divider);
    blocks.push(...buildSearchHitBlocks(hit, outcome.shownBefore + index + 1, outcome.reasons));
  });
  if (outcome.page.next) {
    blocks.push({
      type: 'actions',
      block_id: 'search_more',
      elements: [
        {
          type: 'button',
          action_id: ACTIONS.searchMore,
          text: plain('More results', LIMITS.buttonText),
          value: encodeSearchState(outcome.text, outcome.page.next, outcome.shownBefore + outcome.page.hits.length),
        },
      ],
    });
  }
  return blocks;
}

/** The ephemeral answer to `/losses <query>` and to its "More results". */
export function buildSearchResultsMessage(outcome: TSearchOutcome): TSlackMessage {
  const blocks = buildSearchOutcomeBlocks(outcome, { surface: 'message' });
  if (outcome.kind === 'invalid') return { text: 'I could not read that search', blocks };
  const count = outcome.page.hits.length;
  const text = count === 0 ? 'No past losses match that search' : `${count} past ${count === 1 ? 'loss' : 'losses'} found`;
  return { text, blocks };
}

/** What is wrong with a query, and the language in brief: never a stack trace. */
export function buildSearchProblemBlocks(text: string, problems: string[]): KnownBlock[] {
  return [
    // Problems quote the filters and values typed; they carry no markup of their own but backticks.
    section(`:warning: I could not search for ${quoted(text.trim())}:\n${problems.map((problem) => `• ${escapeMrkdwn(problem)}`).join('\n')}`),
    context(
      `Filters: ${Object.keys(SEARCH_FILTERS)
        .map((name) => `\`${name}:\``)
        .join(' ')}. Example: \`${COMMANDS.losses} pricing competitor:globex since:90d\`. \`${COMMANDS.losses} help\` shows more.`,
    ),
  ];
}

const MAX_REASONS_IN_HELP = 15;

/** What reason: takes, from the workspace's own reasons (retired ones still work, but are not listed). */
function reasonFilterHelp(reasons: TReasonCatalog): string {
  const terms = reasonSearchTerms(reasons).map((reason) => `\`reason:${reason.term}\` (${escapeMrkdwn(reason.label)})`);
  // A workspace may have up to 100 reasons; the help stays readable and within a section's limit.
  const listed = terms.slice(0, MAX_REASONS_IN_HELP);
  const more = terms.length > listed.length ? `, and ${terms.length - listed.length} more` : '';
  return `the loss reason, by a word of its name: ${listed.join(', ')}${more}`;
}

/** The search language, for `/losses help`; `reasons` are the workspace's loss reasons. */
export function buildSearchHelpBlocks(reasons: TReasonCatalog = DEFAULT_REASON_CATALOG): KnownBlock[] {
  const examples = [
    [`${COMMANDS.losses} acme pricing`, 'losses mentioning both words, best match first'],
    [`${COMMANDS.losses} "economic buyer"`, 'an exact phrase'],
    [`${COMMANDS.losses} competitor:globex since:2026-01`, 'lost to Globex (or "Globx": spelling is forgiven) since January'],
    [`${COMMANDS.losses} reason:price min:50k since:90d`, 'price losses over 50,000 in the last 90 days'],
    [`${COMMANDS.losses} rep:@rita status:open`, "Rita's losses still waiting for a debrief"],
  ];
  return [
    section(
      [
        `*Search past losses:* \`${COMMANDS.losses} <words and filters>\` shows the best matches, only to you: the deal, who won and why, the reason, the lessons and a link to the retro thread.`,
        ...examples.map(([command, meaning]) => `• \`${command}\` ${meaning}`),
      ].join('\n'),
    ),
    section(
      [
        '*Filters*',
        ...Object.entries(SEARCH_FILTERS).map(([name, meaning]) => `• \`${name}:\` ${name === 'reason' ? reasonFilterHelp(reasons) : meaning}`),
        `\`${COMMANDS.losses} export <search>\` sends managers the matching losses as a CSV file.`,
      ].join('\n'),
    ),
    context('Retros from private channels are found only by their members. The App Home tab of Debrief has the loss library and a search box.'),
  ];
}

/** The App Home's search modal: a query box, and the results of the last search below it. */
export function buildSearchModal(input: { query?: string; outcome?: TSearchOutcome; searching?: boolean } = {}): ModalView {
  const blocks: KnownBlock[] = [
    {
      type: 'input',
      block_id: SEARCH_INPUTS.query.block,
      label: plain('Search past losses', 2000),
      hint: plain('Words, "phrases" and filters: competitor:globex reason:price since:90d min:10k rep:@rita status:reviewed', 2000),
      element: {
        type: 'plain_text_input',
        action_id: SEARCH_INPUTS.query.action,
        max_length: MAX_QUERY_LENGTH,
        placeholder: plain('acme pricing competitor:globex', 150),
        ...(input.query ? { initial_value: truncate(input.query, MAX_QUERY_LENGTH) } : {}),
      },
    },
  ];
  if (input.outcome) blocks.push(divider, ...buildSearchOutcomeBlocks(input.outcome, { surface: 'modal' }));
  else if (input.searching) blocks.push(divider, context(':hourglass_flowing_sand: Searching…'));
  return {
    type: 'modal',
    callback_id: CALLBACKS.searchModal,
    title: plain('Past losses', LIMITS.modalTitle),
    submit: plain('Search', LIMITS.modalButton),
    close: plain('Close', LIMITS.modalButton),
    blocks,
  };
}
