import type { TSearchHit, TSearchOutcome } from '../../../../src/domain/search';
import { buildHelpMessage } from '../../../../src/slack/blocks/help';
import { buildSearchModal, buildSearchResultsMessage, renderSnippet } from '../../../../src/slack/blocks/search';
import { ACTIONS, CALLBACKS, SEARCH_INPUTS } from '../../../../src/slack/ids';
import { parseSearchState } from '../../../../src/slack/parsers/searchState';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';

function hit(overrides: Partial<TSearchHit> = {}): TSearchHit {
  return {
    retroId: 'retro-1',
    dealName: 'Acme Corp renewal',
    competitor: 'Globex',
    outcome: 'competitor',
    primaryReason: 'price_budget',
    status: 'reviewed',
    amount: '48000.00',
    currency: 'USD',
    lostOn: '2026-10-01',
    lessonsCount: 2,
    ownerSlackUserId: 'U0RITA0001',
    ownerName: null,
    channelId: 'C0LOSSES01',
    permalink: 'https://test.slack.com/archives/C0LOSSES01/p1760000000000100',
    snippet: 'Globex gave us the same thing for 30% less. Bring the economic buyer in before \u0001pricing\u0002 comes up.',
    whyWinnerWon: 'Bundled onboarding at no extra cost.',
    firstLesson: 'Bring the economic buyer in before pricing comes up.',
    ...overrides,
  };
}

function results(hits: TSearchHit[], overrides: Partial<Extract<TSearchOutcome, { kind: 'results' }>> = {}): TSearchOutcome {
  return { kind: 'results', text: 'pricing', query: { words: ['pricing'], phrases: [] }, page: { hits, next: null }, shownBefore: 0, broader: [], ...overrides };
}

const textOf = (blocks: readonly unknown[]) => JSON.stringify(blocks);

describe('search results message', () => {
  it('shows each result with its link, winner, matched words, why, lesson, reason, amount, date and lessons', () => {
    const message = buildSearchResultsMessage(results([hit()]));
    assertWithinSlackLimits(message);
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('<https://test.slack.com/archives/C0LOSSES01/p1760000000000100|Acme Corp renewal>');
    expect(text).toContain('Globex won');
    expect(text).toContain('*pricing*');
    expect(text).toContain('*Why they won:* Bundled onboarding at no extra cost.');
    expect(text).toContain('*Lesson:* Bring the economic buyer in before pricing comes up. _(+1 more in the thread)_');
    expect(text).toContain('Price or budget');
    expect(text).toContain('$48,000.00');
    expect(text).toContain('lost Oct 1, 2026');
    expect(text).toContain('2 lessons');
    expect(message.text).toBe('1 past loss found');
  });

  it('escapes what people wrote, so a deal name or quote cannot ping or forge a link', () => {
    const message = buildSearchResultsMessage(
      results([hit({ dealName: 'Evil <!channel> deal', permalink: null, snippet: 'they said <@U0BOSS> *was* \u0001wrong\u0002', whyWinnerWon: '<https://evil.example|click>' })]),
    );
    assertWithinSlackLimits(message);
    expect(liveMentions(message)).toEqual(['<@U0RITA0001>']); // only the owner, who is shown on purpose
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('Evil &lt;!channel&gt; deal');
    expect(text).toContain('&lt;https://evil.example|click&gt;');
  });

  it('describes losses with no winner and no reason yet', () => {
    const text = textOf(buildSearchResultsMessage(results([hit({ competitor: null, outcome: 'no_decision', primaryReason: null, amount: null, lessonsCount: 0, firstLesson: null, whyWinnerWon: null, snippet: null })])).blocks);
    expect(text).toContain('No decision');
    expect(text).toContain('reason not given yet');
    expect(text).toContain('0 lessons');
    expect(text).not.toContain('Why they won');
  });

  it('offers "More results" carrying the query and where the next page starts', () => {
    const hits = Array.from({ length: 5 }, (_, index) => hit({ retroId: `retro-${index}` }));
    const message = buildSearchResultsMessage(results(hits, { page: { hits, next: { tier: 1, offset: 3 } }, shownBefore: 5 }));
    assertWithinSlackLimits(message);
    const actions = message.blocks.find((block) => block.type === 'actions') as { elements: Array<{ action_id: string; value: string }> };
    expect(actions.elements[0]?.action_id).toBe(ACTIONS.searchMore);
    expect(parseSearchState(actions.elements[0]!.value)).toEqual({ q: 'pricing', t: 1, o: 3, n: 10 });
    expect(textOf(message.blocks)).toContain('Results 6–10, more below');
    expect(textOf(message.blocks)).toContain('6. *');
  });

  it('fits a full page of the longest results within Slack limits', () => {
    const long = 'x'.repeat(5000);
    const hits = Array.from({ length: 5 }, (_, index) => hit({ retroId: `r${index}`, dealName: long, snippet: `${long}\u0001x\u0002`, whyWinnerWon: long, firstLesson: long, competitor: long }));
    assertWithinSlackLimits(buildSearchResultsMessage(results(hits, { page: { hits, next: { tier: 0, offset: 5 } }, text: 'q'.repeat(500) })));
  });

  it('suggests broader searches when nothing matched', () => {
    const text = textOf(buildSearchResultsMessage(results([], { text: 'globex status:open', broader: ['globex', 'status:open'] })).blocks);
    expect(text).toContain('No past losses match');
    expect(text).toContain('`/losses globex`');
    expect(text).toContain('`/losses status:open`');
  });

  it('escapes what was typed when it suggests broader searches', () => {
    const message = buildSearchResultsMessage(results([], { text: '"<!channel> now" status:open', broader: ['"<!channel> now"'] }));
    assertWithinSlackLimits(message);
    expect(liveMentions(message)).toEqual([]);
    expect(textOf(message.blocks)).toContain('&lt;!channel&gt;');
  });

  it('explains a query it cannot read, briefly', () => {
    const message = buildSearchResultsMessage({ kind: 'invalid', text: 'color:blue', problems: ["I don't know the filter `color:`."] });
    assertWithinSlackLimits(message);
    expect(textOf(message.blocks)).toContain("I don't know the filter `color:`.");
    expect(textOf(message.blocks)).toContain('/losses help');
  });
});

describe('renderSnippet', () => {
  it('bolds matched words and neutralises formatting people typed', () => {
    expect(renderSnippet('a *b* \u0001price\u0002 and \u0001budget\u0002')).toBe('a  b  *price* and *budget*');
    expect(renderSnippet('x <y> & z')).toBe('x &lt;y&gt; &amp; z');
  });
});

describe('search modal', () => {
  it('asks for a query, and shows results below it after a search', () => {
    const empty = buildSearchModal();
    assertWithinSlackLimits(empty);
    expect(empty.callback_id).toBe(CALLBACKS.searchModal);
    expect(textOf(empty.blocks)).toContain(SEARCH_INPUTS.query.action);

    const hits = Array.from({ length: 5 }, (_, index) => hit({ retroId: `r${index}` }));
    const filled = buildSearchModal({ query: 'pricing', outcome: results(hits, { page: { hits, next: { tier: 0, offset: 5 } } }) });
    assertWithinSlackLimits(filled);
    expect(JSON.stringify(filled.blocks[0])).toContain('"initial_value":"pricing"');
    expect(textOf(filled.blocks)).toContain(ACTIONS.searchMore);
  });
});

describe('/losses help', () => {
  it('explains the search language with examples, within limits', () => {
    const help = buildHelpMessage();
    assertWithinSlackLimits(help);
    const text = mrkdwnTexts(help).join('\n');
    for (const filter of ['competitor:', 'reason:', 'rep:', 'owner:', 'since:', 'until:', 'min:', 'max:', 'status:']) expect(text).toContain(`\`${filter}\``);
    expect(text).toContain('/losses acme pricing');
    expect(text).toContain('/losses export');
  });
});
