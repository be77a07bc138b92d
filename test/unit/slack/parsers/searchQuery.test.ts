import { formatSearchQuery, MAX_QUERY_LENGTH, parseSearchQuery, unescapeCommandText, type TParsedSearch } from '../../../../src/slack/parsers/searchQuery';

const TODAY = '2026-11-23';
const parse = (text: string): TParsedSearch => parseSearchQuery(text, { today: TODAY });

function problemsOf(text: string): string[] {
  const parsed = parse(text);
  if (parsed.ok) throw new Error(`expected problems for ${text}, got ${JSON.stringify(parsed.query)}`);
  return parsed.problems;
}

describe('parseSearchQuery', () => {
  it('reads free words, lower-cased, without surrounding punctuation or repeats', () => {
    expect(parse('Acme, pricing (ACME)')).toEqual({ ok: true, query: { words: ['acme', 'pricing'], phrases: [] } });
  });

  it('reads "quoted phrases", straight or curly', () => {
    expect(parse('"economic buyer" acme “single threaded”')).toEqual({
      ok: true,
      query: { words: ['acme'], phrases: ['economic buyer', 'single threaded'] },
    });
  });

  it('reads competitor:, with quotes for names with spaces', () => {
    expect(parse('competitor:Globex')).toMatchObject({ ok: true, query: { competitor: 'Globex' } });
    expect(parse('competitor:"Big Co" renewal')).toMatchObject({ ok: true, query: { competitor: 'Big Co', words: ['renewal'] } });
  });

  it.each([
    ['price', 'price_budget'],
    ['Pricing', 'price_budget'],
    ['budget', 'price_budget'],
    ['price_budget', 'price_budget'],
    ['product', 'product_gap'],
    ['features', 'product_gap'],
    ['timing', 'timing_no_decision'],
    ['champion', 'relationship_champion'],
    ['security', 'procurement_legal_security'],
    ['competition', 'competitor_strength'],
    ['other', 'other'],
  ])('reads reason:%s as %s', (given, reason) => {
    expect(parse(`reason:${given}`)).toMatchObject({ ok: true, query: { reason } });
  });

  it('reads rep: and owner: from Slack mentions, and owner: from a name', () => {
    expect(parse('rep:<@U0RITA0001|rita>')).toMatchObject({ ok: true, query: { repSlackUserId: 'U0RITA0001' } });
    expect(parse('rep: <@U0RITA0001>')).toMatchObject({ ok: true, query: { repSlackUserId: 'U0RITA0001' } });
    expect(parse('owner:<@W0SAM00001>')).toMatchObject({ ok: true, query: { owner: { slackUserId: 'W0SAM00001' } } });
    expect(parse('owner:"Rita Rep"')).toMatchObject({ ok: true, query: { owner: { name: 'Rita Rep' } } });
  });

  it.each([
    ['since:2026-01-15', { since: '2026-01-15' }],
    ['since:2026-01', { since: '2026-01-01' }],
    ['until:2026-02', { until: '2026-02-28' }],
    ['until:2028-02', { until: '2028-02-29' }],
    ['since:2025 until:2025', { since: '2025-01-01', until: '2025-12-31' }],
    ['since:30d', { since: '2026-10-24' }],
    ['since:2w', { since: '2026-11-09' }],
    ['since:3m', { since: '2026-08-23' }],
    ['since:1y', { since: '2025-11-23' }],
  ])('reads %s', (text, expected) => {
    expect(parse(text)).toMatchObject({ ok: true, query: expected });
  });

  it.each([
    ['min:1k', { minAmount: '1000.00' }],
    ['min:2.5m', { minAmount: '2500000.00' }],
    ['max:$50,000', { maxAmount: '50000.00' }],
    ['max:48000.5', { maxAmount: '48000.50' }],
    ['min:10K max:1B', { minAmount: '10000.00', maxAmount: '1000000000.00' }],
  ])('reads %s', (text, expected) => {
    expect(parse(text)).toMatchObject({ ok: true, query: expected });
  });

  it('reads status:', () => {
    expect(parse('status:Reviewed')).toMatchObject({ ok: true, query: { status: 'reviewed' } });
  });

  it('reads every filter together with words', () => {
    const parsed = parse('acme "economic buyer" competitor:globex reason:price rep:<@U0RITA0001> owner:sam since:2026-01 until:2026-06-30 min:10k max:1m status:debriefed');
    expect(parsed).toEqual({
      ok: true,
      query: {
        words: ['acme'],
        phrases: ['economic buyer'],
        competitor: 'globex',
        reason: 'price_budget',
        repSlackUserId: 'U0RITA0001',
        owner: { name: 'sam' },
        since: '2026-01-01',
        until: '2026-06-30',
        minAmount: '10000.00',
        maxAmount: '1000000.00',
        status: 'debriefed',
      },
    });
  });

  it('treats links and times as words, not filters', () => {
    expect(parse('<https://acme.example.com> 10:30')).toMatchObject({ ok: true, query: { words: ['https://acme.example.com', '10:30'] } });
  });

  it.each([
    ['color:blue', /filter `color:`/],
    ['competitor:', /`competitor:` needs a value/],
    ['competitor:x', /at least 2 letters/],
    ['reason:weather', /not a loss reason.*`price`/],
    ['reason:pro', /could mean/],
    ['rep:rita', /picked from the @ menu/],
    ['rep:@rita', /picked from the @ menu/],
    ['since:yesterday', /needs a date/],
    ['since:2026-02-30', /needs a date/],
    ['until:2026-13', /needs a date/],
    ['min:lots', /needs an amount/],
    ['max:-5', /needs an amount/],
    ['status:lost', /`open`/],
    ['since:2026-05 until:2026-04', /before since:/],
    ['min:10k max:5k', /below min:/],
    ['status:open status:reviewed', /once per search/],
  ])('explains what is wrong with %s', (text, message) => {
    expect(problemsOf(text).join('\n')).toMatch(message);
  });

  it('reports every problem at once', () => {
    expect(problemsOf('color:blue min:lots status:lost')).toHaveLength(3);
  });

  it('refuses text too long to be a search, and too many words', () => {
    expect(problemsOf('a'.repeat(MAX_QUERY_LENGTH + 1))[0]).toMatch(/too long/);
    expect(problemsOf(Array.from({ length: 13 }, (_, index) => `word${index}`).join(' '))[0]).toMatch(/at most 12/);
  });

  it('never throws, whatever it is given', () => {
    for (const text of ['"', 'a:"', ':::', '<@>', 'rep:<@U1', 'min:1e9', '\u0000', '"unclosed phrase', 'since:99999d']) {
      expect(() => parse(text)).not.toThrow();
    }
  });
});

describe('formatSearchQuery', () => {
  it.each([
    'acme pricing',
    'acme "economic buyer" competitor:"Big Co" reason:price_budget rep:<@U0RITA0001> owner:<@U0SAM00001> since:2026-01-01 until:2026-06-30 min:10000 max:2500000 status:open',
    'owner:"Rita Rep"',
  ])('writes %s back as text that parses to the same query', (text) => {
    const first = parse(text);
    if (!first.ok) throw new Error(first.problems.join());
    expect(parse(formatSearchQuery(first.query))).toEqual(first);
  });
});

describe('unescapeCommandText', () => {
  it('turns the entities Slack sends back into what the person typed, keeping mentions', () => {
    expect(unescapeCommandText('R&amp;D &lt;3 rep:<@U0RITA0001|rita>')).toBe('R&D <3 rep:<@U0RITA0001|rita>');
    expect(unescapeCommandText('&amp;lt;')).toBe('&lt;');
  });
});
