import type { KnownBlock } from '@slack/types';
import { labelOf, PRICE_TO_VALUE, type TLossReason } from '../../domain/debrief';
import { DEFAULT_REASON_CATALOG, reasonLabel as catalogLabel } from '../../domain/lossReasons';
import { percentChange, toCents } from '../../domain/digest/amounts';
import { describeMoment, describePeriodDays } from '../../domain/digest/period';
import { COMPARISON_WEEKS, QUOTE_MAX, type TDigest, type TDigestLink } from '../../domain/digest/summarise';
import { formatLongDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { escapeMrkdwn, linkMrkdwn, mentionUser, quoteMrkdwn, truncate } from '../../lib/mrkdwn';
import { COMMANDS } from '../ids';
import { context, divider, header, LIMITS, section } from './elements';

// The weekly digest in Block Kit. The channel message keeps to the few items per list a reader
// takes in at a glance; what does not fit continues in thread replies, each within Slack's limits
// (50 blocks, 3,000 characters a section), and a very long week is summarised rather than posted
// in full. An empty week is one line.

export interface TDigestMessage {
  text: string;
  blocks: KnownBlock[];
}

export interface TRenderedDigest {
  parent: TDigestMessage;
  /** Continuations, posted in the parent's thread in order. */
  replies: TDigestMessage[];
}

export interface TDigestRenderOptions {
  /** The digest goes out after its time (Debrief was down): say so, with the time it was due. */
  lateSince?: Date;
  /** A private preview: where and when it goes out. */
  preview?: { channelId: string; goesOutAt: Date | null; inProgress: boolean; paused: boolean };
}

/** How many items of each list the channel message shows before continuing in the thread. */
export const PARENT_ITEMS = { competitors: 3, lessons: 3, actionItems: 5, waiting: 5, losses: 8 } as const;
/** Items of one list shown in the thread at most; the rest is counted, not listed. */
export const THREAD_ITEMS_PER_LIST = 60;
/** Continuation messages at most, so a huge week cannot flood the channel's rate limit. */
export const MAX_REPLIES = 4;
/** Blocks per continuation message; Slack's ceiling is 50. */
const BLOCKS_PER_REPLY = 45;
/** One list item never takes more than this, however long a deal name or quote is. */
const ITEM_MAX = 700;
const SECTION_MAX = LIMITS.sectionText;

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function retroLink(retro: TDigestLink): string {
  const name = truncate(retro.dealName, 80);
  return retro.threadUrl ? linkMrkdwn(retro.threadUrl, name) : `*${escapeMrkdwn(name)}*`;
}

/** The reason under the workspace's current label (escaped: labels are the team's own words). */
function reasonLabel(digest: TDigest, reason: TLossReason | null): string {
  return reason === null ? 'Not debriefed yet' : escapeMrkdwn(catalogLabel(digest.reasonCatalog ?? DEFAULT_REASON_CATALOG, reason));
}

function signedPercent(change: number): string {
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change)}%`;
}

function formatAverage(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function summaryText(digest: TDigest): string {
  const count = `*${plural(digest.lossCount, 'loss', 'losses')}* reported this week`;
  const countChange = percentChange(digest.lossCount, digest.previousWeeklyAverage);
  const lines = [
    countChange === null
      ? `${count} (none in the previous four weeks).`
      : `${count}, against ${formatAverage(digest.previousWeeklyAverage)} a week over the previous four weeks (${signedPercent(countChange)}).`,
  ];
  for (const money of digest.money) {
    const lost = `Lost in ${money.currency}: *${formatMoney(money.total, money.currency)}*`;
    if (money.previousWeeklyAverage === null) {
      lines.push(`${lost} (none in ${money.currency} in the previous four weeks)`);
      continue;
    }
    const change = percentChange(Number(toCents(money.total) ?? 0n), Number(toCents(money.previousWeeklyAverage) ?? 0n));
    lines.push(`${lost}, against ${formatMoney(money.previousWeeklyAverage, money.currency)} a week before${change === null ? '' : ` (${signedPercent(change)})`}`);
  }
  if (digest.lossesWithoutAmount > 0) lines.push(`_${plural(digest.lossesWithoutAmount, 'loss', 'losses')} without an amount._`);
  return lines.join('\n');
}

function reasonLines(digest: TDigest): string[] {
  return digest.reasons.filter((row) => row.count > 0).map(
    (row, index) => `${index + 1}. ${reasonLabel(digest, row.reason)}: *${row.count}* (${row.previousCount} in the previous ${COMPARISON_WEEKS} weeks)`,
  );
}

function competitorItems(digest: TDigest): string[] {
  return digest.competitors.filter((competitor) => competitor.wins > 0).map((competitor) => {
    const head = `*${escapeMrkdwn(truncate(competitor.name, 80))}* won ${plural(competitor.wins, 'deal')} (${competitor.previousWins} in the previous ${COMPARISON_WEEKS} weeks)`;
    const quotes = competitor.quotes.map((quote) => {
      const by = quote.attribution ? `${escapeMrkdwn(truncate(quote.attribution, 60))}, ` : '';
      return `${quoteMrkdwn(truncate(quote.text.replace(/\s*\n+\s*/g, ' '), QUOTE_MAX))}\n_— ${by}${retroLink(quote.retro)}_`;
    });
    return [head, ...quotes].join('\n');
  });
}

function priceToValueText(digest: TDigest): string | null {
  if (digest.priceToValue.length === 0) return null;
  return digest.priceToValue.map((row) => `${labelOf(PRICE_TO_VALUE, row.verdict)}: *${row.count}*`).join('\n');
}

function lessonItems(digest: TDigest): string[] {
  return digest.lessons.map((lesson) => {
    const by = lesson.attribution ? `${escapeMrkdwn(truncate(lesson.attribution, 60))}, ` : '';
    return `• ${escapeMrkdwn(truncate(lesson.text, 300))} _— ${by}${retroLink(lesson.retro)}_`;
  });
}

function actionItemLines(digest: TDigest): string[] {
  return digest.actionItems.map((item) => {
    const owner = item.ownerSlackUserId ? mentionUser(item.ownerSlackUserId) : '_owner not named_';
    const due = `${item.overdue ? ':warning: overdue since' : 'due'} ${formatLongDate(item.dueOn)}`;
    return `• ${escapeMrkdwn(truncate(item.text, 200))} · ${owner} · ${due} · ${retroLink(item.retro)}`;
  });
}

function waitingLines(digest: TDigest): string[] {
  return digest.waiting.map((retro) => {
    const owner = retro.ownerSlackUserId
      ? mentionUser(retro.ownerSlackUserId)
      : retro.ownerName
        ? escapeMrkdwn(truncate(retro.ownerName, 60))
        : '_no owner in Slack_';
    return `• ${retroLink(retro.retro)} · ${owner} · opened ${formatLongDate(retro.openedOn)}`;
  });
}

function startHereLines(digest: TDigest): string[] {
  return digest.startHere.map((pick) => {
    const why = pick.agreedReason ? ` · ${reasonLabel(digest, pick.agreedReason)}` : '';
    const lesson = pick.lesson ? `: “${escapeMrkdwn(truncate(pick.lesson, 200))}”` : '';
    return `• ${retroLink(pick.retro)}${why}${lesson}`;
  });
}

function lossLines(digest: TDigest): string[] {
  return digest.losses.map((loss) => {
    const parts = [retroLink(loss.retro)];
    if (loss.amount !== null) parts.push(formatMoney(loss.amount, loss.currency));
    parts.push(loss.waitingForDebrief ? '_waiting for the debrief_' : reasonLabel(digest, loss.reason));
    if (loss.winner) parts.push(`won by ${escapeMrkdwn(truncate(loss.winner, 60))}`);
    return `• ${parts.join(' · ')}`;
  });
}

/** Lines into section texts of at most 3,000 characters, the title on the first. */
function chunkSections(title: string, items: string[]): string[] {
  const chunks: string[] = [];
  let current = title;
  for (const raw of items) {
    const item = truncate(raw, ITEM_MAX);
    if (current.length + 1 + item.length > SECTION_MAX) {
      chunks.push(current);
      current = item;
    } else {
      current = current ? `${current}\n${item}` : item;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

interface TList {
  title: string;
  items: string[];
  parentItems: number;
}

/** The first items that fit one section, and how many did not. */
function parentSection(list: TList): { text: string; shown: number } {
  let text = `*${list.title}*`;
  let shown = 0;
  for (const raw of list.items.slice(0, list.parentItems)) {
    const item = truncate(raw, ITEM_MAX);
    // Leave room for the "+N more" line.
    if (text.length + 1 + item.length > SECTION_MAX - 80) break;
    text += `\n${item}`;
    shown += 1;
  }
  const more = list.items.length - shown;
  if (more > 0) text += `\n_+${more} more in the thread_`;
  return { text, shown };
}

function fallbackText(digest: TDigest): string {
  const money = digest.money.map((row) => formatMoney(row.total, row.currency)).join(', ');
  return truncate(
    `Loss digest ${digest.period.label}: ${plural(digest.lossCount, 'loss', 'losses')}${money ? ` (${money})` : ''}.`,
    LIMITS.fallbackText,
  );
}

function previewContext(options: TDigestRenderOptions, timeZone: string): KnownBlock[] {
  const { preview } = options;
  if (!preview) return [];
  const when = preview.paused
    ? 'The weekly digest is paused, so this will not be posted.'
    : !preview.channelId
      ? `No digest channel is set yet, so this will not be posted: a manager picks one with \`${COMMANDS.losses} digest settings\`.`
    : preview.goesOutAt
      ? `It goes out to <#${preview.channelId}> ${describeMoment(preview.goesOutAt, timeZone)} (${escapeMrkdwn(timeZone)}).`
      : 'This is that week as it reads today; the weekly digest only ever posts each week once.';
  const soFar = preview.inProgress ? ' The week is not over yet: this is the digest so far.' : '';
  return [context(`:eyes: *Preview, only you can see this.* ${when}${soFar}`)];
}

/** The digest as the channel message and its thread continuations. */
export function buildDigestMessages(digest: TDigest, options: TDigestRenderOptions = {}): TRenderedDigest {
  const days = describePeriodDays(digest.period);
  if (digest.lossCount === 0) {
    const line = `*Loss digest, ${days} (${digest.period.label}):* no losses were reported this week. :tada:`;
    return { parent: { text: `Loss digest ${digest.period.label}: no losses this week.`, blocks: [...previewContext(options, digest.period.timeZone), section(line)] }, replies: [] };
  }

  const blocks: KnownBlock[] = [...previewContext(options, digest.period.timeZone), header(`Loss digest: ${days}`)];
  const lateNote = options.lateSince
    ? ` · :hourglass: Posted late: it was due ${describeMoment(options.lateSince, digest.period.timeZone)}, while Debrief was offline.`
    : '';
  blocks.push(context(`Week ${digest.period.label}, counted in ${escapeMrkdwn(digest.period.timeZone)} time${lateNote}`));
  blocks.push(section(summaryText(digest)));
  blocks.push(section(chunkSections('*Why we lost*', reasonLines(digest))[0]!));

  const lists: TList[] = [
    { title: 'Who beat us, and why they won', items: competitorItems(digest), parentItems: PARENT_ITEMS.competitors },
  ];
  const overflow: Array<{ title: string; items: string[] }> = [];
  const addList = (list: TList) => {
    if (list.items.length === 0) return;
    const { text, shown } = parentSection(list);
    blocks.push(section(text));
    if (shown < list.items.length) overflow.push({ title: list.title, items: list.items.slice(shown) });
  };
  lists.forEach(addList);
  const verdicts = priceToValueText(digest);
  if (verdicts) blocks.push(section(`*Our price against the value, as buyers saw it*\n${verdicts}`));
  blocks.push(divider);
  addList({ title: 'Lessons for new reps', items: lessonItems(digest), parentItems: PARENT_ITEMS.lessons });
  addList({ title: 'Open action items', items: actionItemLines(digest), parentItems: PARENT_ITEMS.actionItems });
  addList({ title: 'Still waiting for a debrief', items: waitingLines(digest), parentItems: PARENT_ITEMS.waiting });
  const startHere = startHereLines(digest);
  if (startHere.length > 0) blocks.push(section(`*New here? Start with these retros*\n${startHere.join('\n')}`));
  addList({ title: "This week's losses", items: lossLines(digest), parentItems: PARENT_ITEMS.losses });

  const replies = buildContinuations(overflow);
  const footer = [
    replies.length > 0 ? 'The full lists continue in the thread.' : '',
    `\`${COMMANDS.losses} digest\` previews the next digest; managers change when and where it goes out with \`${COMMANDS.losses} digest settings\`.`,
  ]
    .filter(Boolean)
    .join(' ');
  blocks.push(context(footer));
  return { parent: { text: fallbackText(digest), blocks }, replies };
}

/** Overflowing lists as thread replies of at most BLOCKS_PER_REPLY sections, MAX_REPLIES at most. */
function buildContinuations(overflow: Array<{ title: string; items: string[] }>): TDigestMessage[] {
  const sections: string[] = [];
  for (const list of overflow) {
    const listed = list.items.slice(0, THREAD_ITEMS_PER_LIST);
    const unlisted = list.items.length - listed.length;
    const items = unlisted > 0 ? [...listed, `_…and ${unlisted} more. Find them with \`${COMMANDS.losses}\` search._`] : listed;
    sections.push(...chunkSections(`*${list.title} (continued)*`, items));
  }
  const replies: TDigestMessage[] = [];
  for (let start = 0; start < sections.length && replies.length < MAX_REPLIES; start += BLOCKS_PER_REPLY) {
    const slice = sections.slice(start, start + BLOCKS_PER_REPLY);
    const isLast = replies.length === MAX_REPLIES - 1 && start + BLOCKS_PER_REPLY < sections.length;
    const blocks: KnownBlock[] = slice.map(section);
    if (isLast) blocks.push(context(`_The rest of this week's lists was left out to keep the thread readable._`));
    replies.push({ text: `Loss digest, continued (${replies.length + 1})`, blocks });
  }
  return replies;
}

/** mrkdwn links and mentions as a terminal shows them: <url|label> -> label (url). */
function plainMrkdwn(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<#([A-Z0-9]+)(\|[^>]*)?>/g, '#$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The digest as plain text, for `npm run digest` and the README: one block after another. */
export function digestAsText(rendered: TRenderedDigest): string {
  const render = (message: TDigestMessage) =>
    message.blocks
      .map((block) => {
        if (block.type === 'header') return `# ${block.text.text}`;
        if (block.type === 'divider') return '---';
        if (block.type === 'context') return block.elements.map((element) => ('text' in element ? plainMrkdwn(element.text) : '')).join(' ');
        if (block.type === 'section') return plainMrkdwn(block.text?.text ?? '');
        return '';
      })
      .join('\n\n');
  return [render(rendered.parent), ...rendered.replies.map((reply, index) => `--- in the thread (${index + 1}) ---\n\n${render(reply)}`)].join('\n\n');
}
