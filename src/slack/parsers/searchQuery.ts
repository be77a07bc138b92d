import { z } from 'zod';
import { activeReasons, DEFAULT_REASON_CATALOG, reasonLabel, type TLossReasonEntry, type TReasonCatalog } from '../../domain/lossReasons';
import { RETRO_STATUSES, type TSearchQuery } from '../../domain/search';
import { isoDateToUtcDate, toIsoDate } from '../../lib/dates';

// The search language of `/losses` and the App Home search box:
//   acme pricing "economic buyer" competitor:globex reason:price rep:@rita owner:@sam
//   since:2026-01 until:2026-03-31 since:30d min:10k max:2.5m status:reviewed
// Text becomes tokens, filter tokens are checked one by one with zod, and every problem is
// reported at once in words a person can act on; nothing here throws on bad input.

export const MAX_QUERY_LENGTH = 500;
const MAX_TERMS = 12;

export const SEARCH_FILTERS = {
  competitor: 'who won, spelled roughly: `competitor:globex`, `competitor:"Big Co"`',
  reason: 'the loss reason: `reason:price`, `reason:product`, `reason:timing`',
  rep: 'the owner or an author of the debrief or a perspective: `rep:@rita`',
  owner: "the deal's owner: `owner:@rita` or a name from the CRM, `owner:rita`",
  since: 'lost on or after: `since:2026-01-15`, `since:2026-01`, `since:30d`',
  until: 'lost on or before: `until:2026-03-31`, `until:2026-03`',
  min: 'amount at least: `min:10k`, `min:50000`',
  max: 'amount at most: `max:2.5m`',
  status: `the retro's status: ${RETRO_STATUSES.map((status) => `\`status:${status}\``).join(', ')}`,
} as const;
type TFilterName = keyof typeof SEARCH_FILTERS;
const FILTER_NAMES = Object.keys(SEARCH_FILTERS) as TFilterName[];

export type TParsedSearch = { ok: true; query: TSearchQuery } | { ok: false; problems: string[] };

// ------------------------------------------------------------------------------------------------
// Values
// ------------------------------------------------------------------------------------------------

/** <@U123>, <@U123|rita> (what Slack sends for a picked @mention), or a bare member ID. */
const MENTION = /^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$|^([UW][A-Z0-9]{6,})$/;

function mentionedUser(value: string): string | undefined {
  const match = MENTION.exec(value);
  return match?.[1] ?? match?.[2];
}

const ZMention = z.string().transform((value, context) => {
  const userId = mentionedUser(value);
  if (userId) return userId;
  context.addIssue({ code: 'custom', message: 'needs a person picked from the @ menu, e.g. `rep:@rita`' });
  return z.NEVER;
});

// Words people use for the built-in reasons, beyond the words of their labels. Keyed by value,
// which a rename keeps: a workspace that renamed price_budget still finds it with reason:pricing.
const REASON_SYNONYMS: Record<string, string[]> = {
  price_budget: ['pricing', 'cost', 'expensive', 'discount'],
  product_gap: ['feature', 'features', 'missing', 'roadmap'],
  competitor_strength: ['competitor', 'competition'],
  relationship_champion: ['champion', 'relationship', 'sponsor'],
  timing_no_decision: ['timing', 'nodecision', 'stalled', 'undecided'],
  risk_implementation: ['risk', 'implementation', 'migration'],
  sales_execution: ['execution', 'process'],
  procurement_legal_security: ['procurement', 'legal', 'security', 'compliance'],
  other: [],
};
const REASON_STOP_WORDS = new Set(['or', 'and', 'no', 'the', 'a', 'of']);

function words(text: string): string[] {
  return text.toLocaleLowerCase('en-US').split(/[^\p{L}\p{N}]+/u);
}

function reasonTerms(reason: TLossReasonEntry): string[] {
  const terms = [...reason.value.split('_'), ...words(reason.label), ...(REASON_SYNONYMS[reason.value] ?? [])];
  return [...new Set(terms.filter((term) => term.length > 0 && !REASON_STOP_WORDS.has(term)))];
}

function sharedPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
  return length;
}

/** The reasons a typed value names: a whole label or value first, else the reasons a word of it fits. */
function reasonsNamed(catalog: TReasonCatalog, typed: string): TLossReasonEntry[] {
  const whole = words(typed).filter(Boolean).join(' ');
  const exact = catalog.find((reason) => reason.value === typed.toLowerCase() || words(reason.label).filter(Boolean).join(' ') === whole);
  if (exact) return [exact];
  const wanted = typed.toLocaleLowerCase('en-US').replace(/[^\p{L}\p{N}_ ]/gu, '');
  if (wanted.length < 3) return [];
  return catalog.filter((reason) =>
    reasonTerms(reason).some((term) => term.startsWith(wanted) || (term.length >= 3 && wanted.startsWith(term)) || sharedPrefixLength(term, wanted) >= 6),
  );
}

/** How to name each reason in a search: the first word of its value when that is enough, else its label in quotes. */
export function reasonSearchTerms(catalog: TReasonCatalog): Array<{ term: string; label: string }> {
  return activeReasons(catalog).map((reason) => {
    const word = reason.value.split('_')[0] ?? reason.value;
    const named = reasonsNamed(catalog, word);
    const term = named.length === 1 && named[0]?.value === reason.value ? word : `"${reason.label.replace(/"/g, '')}"`;
    return { term, label: reason.label };
  });
}

/**
 * `price`, `pricing`, `price_budget`, `budget` and `"Price or budget"` all name price_budget; `p`
 * names nothing. Retired reasons are found too: old retros still carry them.
 */
function ZReason(catalog: TReasonCatalog) {
  return z.string().transform((value, context) => {
    const matches = reasonsNamed(catalog, value.trim());
    if (matches.length === 1 && matches[0]) return matches[0].value;
    const known = reasonSearchTerms(catalog)
      .map((reason) => `\`${reason.term}\` (${reason.label})`)
      .join(', ');
    context.addIssue({
      code: 'custom',
      message:
        matches.length > 1
          ? `could mean ${matches.map((reason) => reasonLabel(catalog, reason.value)).join(' or ')}: be more specific`
          : `is not a loss reason I know. Try one of: ${known}`,
    });
    return z.NEVER;
  });
}

const RELATIVE_PERIOD = /^(\d{1,4})([dwmy])$/;

/** YYYY-MM-DD, YYYY-MM or YYYY, taking the first (since) or last (until) day of a month or year. */
function calendarDate(value: string, edge: 'first' | 'last'): string | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!match) return undefined;
  const [, year, month, day] = match;
  if (day !== undefined) {
    const iso = `${year}-${month}-${day}`;
    return toIsoDate(isoDateToUtcDate(iso)) === iso ? iso : undefined;
  }
  const monthIndex = month === undefined ? (edge === 'first' ? 0 : 11) : Number(month) - 1;
  if (monthIndex < 0 || monthIndex > 11) return undefined;
  const date = edge === 'first' ? new Date(Date.UTC(Number(year), monthIndex, 1)) : new Date(Date.UTC(Number(year), monthIndex + 1, 0));
  return toIsoDate(date);
}

function daysBefore(today: string, count: number, unit: string): string {
  const date = isoDateToUtcDate(today);
  if (unit === 'd') date.setUTCDate(date.getUTCDate() - count);
  if (unit === 'w') date.setUTCDate(date.getUTCDate() - 7 * count);
  if (unit === 'm') date.setUTCMonth(date.getUTCMonth() - count);
  if (unit === 'y') date.setUTCFullYear(date.getUTCFullYear() - count);
  return toIsoDate(date);
}

function ZDate(edge: 'first' | 'last', today: string) {
  return z.string().transform((value, context) => {
    const relative = RELATIVE_PERIOD.exec(value.toLowerCase());
    const date = relative ? daysBefore(today, Number(relative[1]), relative[2] ?? 'd') : calendarDate(value, edge);
    if (date) return date;
    context.addIssue({ code: 'custom', message: 'needs a date like `2026-01-15`, a month like `2026-01`, or a period back from today like `30d`, `6w`, `3m`, `1y`' });
    return z.NEVER;
  });
}

const MULTIPLIERS: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000, b: 1_000_000_000 };

/** 1k, 2.5m, $50,000, 48000.50 -> a decimal string with two decimals. */
const ZAmountFilter = z.string().transform((value, context) => {
  const match = /^[$€£]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([kmb]?)$/i.exec(value.trim());
  const amount = match ? Number(`${(match[1] ?? '').replace(/,/g, '')}${match[2] ?? ''}`) * (MULTIPLIERS[(match[3] ?? '').toLowerCase()] ?? 1) : NaN;
  if (Number.isFinite(amount) && amount < 1e14) return amount.toFixed(2);
  context.addIssue({ code: 'custom', message: 'needs an amount like `10k`, `2.5m` or `50000`' });
  return z.NEVER;
});

const ZStatus = z.string().transform((value, context) => {
  const status = RETRO_STATUSES.find((candidate) => candidate === value.toLowerCase());
  if (status) return status;
  context.addIssue({ code: 'custom', message: `is one of ${RETRO_STATUSES.map((candidate) => `\`${candidate}\``).join(', ')}` });
  return z.NEVER;
});

function filterSchema(today: string, reasons: TReasonCatalog) {
  return z
    .object({
      competitor: z.string().trim().min(2, 'needs at least 2 letters').max(100, 'is too long').optional(),
      reason: ZReason(reasons).optional(),
      rep: ZMention.optional(),
      owner: z
        .string()
        .trim()
        .min(2, 'needs a person (`owner:@rita`) or at least 2 letters of a name')
        .max(100, 'is too long')
        .transform((value) => {
          const slackUserId = mentionedUser(value);
          return slackUserId ? { slackUserId } : { name: value };
        })
        .optional(),
      since: ZDate('first', today).optional(),
      until: ZDate('last', today).optional(),
      min: ZAmountFilter.optional(),
      max: ZAmountFilter.optional(),
      status: ZStatus.optional(),
    })
    .superRefine((filters, context) => {
      if (filters.since && filters.until && filters.since > filters.until) {
        context.addIssue({ code: 'custom', path: ['until'], message: `is before since: (${filters.since}): nothing can match` });
      }
      if (filters.min && filters.max && Number(filters.min) > Number(filters.max)) {
        context.addIssue({ code: 'custom', path: ['max'], message: 'is below min:: nothing can match' });
      }
    });
}

// ------------------------------------------------------------------------------------------------
// Tokens
// ------------------------------------------------------------------------------------------------

type TToken = { kind: 'word'; text: string } | { kind: 'phrase'; text: string } | { kind: 'filter'; name: string; value: string };

// key:"quoted value" | key:value | key: (value in the next token) | "quoted phrase" | word
const TOKEN = /([A-Za-z]+):"([^"]*)"?|([A-Za-z]+):(\S*)|"([^"]*)"?|(\S+)/g;

function tokenize(text: string): TToken[] {
  // Slack's composer turns quotes curly; people also paste them.
  const normalised = text.replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"');
  const tokens: TToken[] = [];
  for (const match of normalised.matchAll(TOKEN)) {
    const [, quotedName, quotedValue, name, value, phrase, word] = match;
    if (quotedName !== undefined) tokens.push({ kind: 'filter', name: quotedName.toLowerCase(), value: quotedValue ?? '' });
    else if (name !== undefined && !/^https?$/i.test(name)) tokens.push({ kind: 'filter', name: name.toLowerCase(), value: value ?? '' });
    else if (phrase !== undefined) {
      if (phrase.trim()) tokens.push({ kind: 'phrase', text: phrase.trim() });
    } else tokens.push({ kind: 'word', text: word ?? `${name ?? ''}:${value ?? ''}` });
  }
  // `rep: @rita`: a filter with nothing after the colon takes the next word as its value.
  for (let index = 0; index < tokens.length - 1; index += 1) {
    const token = tokens[index];
    const next = tokens[index + 1];
    if (token?.kind === 'filter' && token.value === '' && next && next.kind !== 'filter') {
      tokens.splice(index, 2, { ...token, value: next.text });
    }
  }
  return tokens;
}

/** Punctuation around a word ("pricing," or "(acme)") is not part of it. */
function cleanWord(word: string): string {
  if (mentionedUser(word)) return word;
  return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

// ------------------------------------------------------------------------------------------------
// Parse and format
// ------------------------------------------------------------------------------------------------

/**
 * Slack sends a slash command's text with &, < and > escaped as entities (its own mentions and
 * links keep real brackets); searches must see what the person typed: "R&amp;D" is "R&D".
 */
export function unescapeCommandText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * `today` (YYYY-MM-DD) anchors relative periods such as since:30d; `reasons` are the workspace's
 * loss reasons (the built-in ones when left out), which reason: names by label or value.
 */
export function parseSearchQuery(text: string, options: { today: string; reasons?: TReasonCatalog }): TParsedSearch {
  if (text.length > MAX_QUERY_LENGTH) return { ok: false, problems: [`That search is too long: keep it under ${MAX_QUERY_LENGTH} characters.`] };
  const problems: string[] = [];
  const words: string[] = [];
  const phrases: string[] = [];
  const rawFilters: Partial<Record<TFilterName, string>> = {};

  for (const token of tokenize(text)) {
    if (token.kind === 'word') {
      const word = cleanWord(token.text);
      if (word && !words.includes(word.toLowerCase())) words.push(word.toLowerCase());
    } else if (token.kind === 'phrase') {
      phrases.push(token.text);
    } else if (!FILTER_NAMES.includes(token.name as TFilterName)) {
      problems.push(`I don't know the filter \`${token.name.slice(0, 30)}:\`. The filters are ${FILTER_NAMES.map((name) => `\`${name}:\``).join(', ')}.`);
    } else if (token.value.trim() === '') {
      problems.push(`\`${token.name}:\` needs a value: ${SEARCH_FILTERS[token.name as TFilterName]}.`);
    } else if (rawFilters[token.name as TFilterName] !== undefined) {
      problems.push(`Use \`${token.name}:\` once per search.`);
    } else {
      rawFilters[token.name as TFilterName] = token.value;
    }
  }
  if (words.length + phrases.length > MAX_TERMS) problems.push(`Use at most ${MAX_TERMS} words and phrases; filters narrow a search better.`);

  const parsed = filterSchema(options.today, options.reasons ?? DEFAULT_REASON_CATALOG).safeParse(rawFilters);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '');
      const given = rawFilters[name as TFilterName] ?? '';
      problems.push(`\`${name}:${given.slice(0, 40)}\` ${issue.message}.`);
    }
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };

  const filters = parsed.data;
  const query: TSearchQuery = { words, phrases };
  if (filters.competitor) query.competitor = filters.competitor;
  if (filters.reason) query.reason = filters.reason;
  if (filters.rep) query.repSlackUserId = filters.rep;
  if (filters.owner) query.owner = filters.owner;
  if (filters.since) query.since = filters.since;
  if (filters.until) query.until = filters.until;
  if (filters.min) query.minAmount = filters.min;
  if (filters.max) query.maxAmount = filters.max;
  if (filters.status) query.status = filters.status;
  return { ok: true, query };
}

function quoteIfNeeded(value: string): string {
  return /\s/.test(value) ? `"${value.replace(/"/g, '')}"` : value;
}

function trimAmount(amount: string): string {
  return amount.replace(/\.00$/, '');
}

/** The query as text `parseSearchQuery` reads back to the same query; dates come out absolute. */
export function formatSearchQuery(query: TSearchQuery): string {
  const parts: string[] = [...query.words, ...query.phrases.map((phrase) => `"${phrase.replace(/"/g, '')}"`)];
  if (query.competitor) parts.push(`competitor:${quoteIfNeeded(query.competitor)}`);
  if (query.reason) parts.push(`reason:${query.reason}`);
  if (query.repSlackUserId) parts.push(`rep:<@${query.repSlackUserId}>`);
  if (query.owner) parts.push(`owner:${'slackUserId' in query.owner ? `<@${query.owner.slackUserId}>` : quoteIfNeeded(query.owner.name)}`);
  if (query.since) parts.push(`since:${query.since}`);
  if (query.until) parts.push(`until:${query.until}`);
  if (query.minAmount) parts.push(`min:${trimAmount(query.minAmount)}`);
  if (query.maxAmount) parts.push(`max:${trimAmount(query.maxAmount)}`);
  if (query.status) parts.push(`status:${query.status}`);
  return parts.join(' ');
}
