import { openDatabase, type TDatabase } from '../../../src/db/client';
import { FIRST_PAGE, type TSearchCursor, type TSearchPage, type TSearchQuery } from '../../../src/domain/search';
import { createSearchRepository, type TSearchRepository, type TSearchScope } from '../../../src/repositories/search';
import { parseSearchQuery } from '../../../src/slack/parsers/searchQuery';
import { createTestDatabase, DATABASE_KINDS, type TTestDatabase } from '../../helpers/database';
import { ANON, CORPUS_CHANNEL, CORPUS_PRIVATE_CHANNEL, RITA, SAM, seedLossCorpus } from '../../helpers/lossCorpus';

const TODAY = '2026-11-23';

function query(text: string): TSearchQuery {
  const parsed = parseSearchQuery(text, { today: TODAY });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.query;
}

describe.each(DATABASE_KINDS)('search repository on %s', (kind) => {
  let testDatabase: TTestDatabase;
  let database: TDatabase;
  let search: TSearchRepository;
  let ids: Record<string, string>;
  let scope: TSearchScope;
  let keyOf: (retroId: string) => string;
  let otherWorkspaceId: string;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.config);
    search = createSearchRepository(database.prisma);
    const workspace = await database.prisma.workspace.create({ data: { slackTeamId: 'T0SEARCH' }, select: { id: true } });
    ids = await seedLossCorpus(database.prisma, workspace.id);
    // Another workspace's loss must never show up.
    const other = await database.prisma.workspace.create({ data: { slackTeamId: 'T0OTHER' }, select: { id: true } });
    otherWorkspaceId = other.id;
    await seedLossCorpus(database.prisma, other.id, [{ key: 'other', name: 'Acme Globex pricing elsewhere', lostAt: '2026-11-01', owner: RITA }]);
    scope = { workspaceId: workspace.id, visibleChannelIds: [CORPUS_CHANNEL], includeAnonymousAuthors: false };
    keyOf = (retroId) => Object.entries(ids).find(([, id]) => id === retroId)?.[0] ?? `unknown:${retroId}`;
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  async function keys(text: string, options: Partial<TSearchScope> = {}): Promise<string[]> {
    const { hits } = await search.search(query(text), { ...scope, ...options }, { limit: 20 });
    return hits.map((hit) => keyOf(hit.retroId));
  }

  /** Every page of `limit`, following the cursor each page returns. */
  async function allPages(text: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let from: TSearchCursor | null = FIRST_PAGE;
    while (from && pages.length < 20) {
      const page: TSearchPage = await search.search(query(text), scope, { limit, from });
      pages.push(page.hits.map((hit) => keyOf(hit.retroId)));
      from = page.next;
    }
    return pages;
  }

  it('ranks a match in the reason and lessons above one in the thread discussion', async () => {
    expect(await keys('pricing')).toEqual(['acme', 'stark', 'initech']);
  });

  it("refreshes documents with one plan per connection: planning was half of a new retro's insert", async () => {
    const [refresh] = await database.prisma.$queryRaw<Array<{ settings: string[] | null }>>`
      SELECT proconfig AS settings FROM pg_proc WHERE proname = 'debrief_search_refresh'`;
    expect(refresh?.settings).toContain('plan_cache_mode=force_generic_plan');
  });

  it('requires every word, matching stems ("renewals" finds "renewal")', async () => {
    expect(await keys('acme pricing')).toEqual(['acme']);
    expect(await keys('renewals')).toEqual(['acme']);
    expect(await keys('acme sso')).toEqual([]);
  });

  it('matches quoted phrases as phrases', async () => {
    expect(await keys('"economic buyer"')).toEqual(['acme']);
    expect(await keys('"buyer economic"')).toEqual([]);
  });

  it('finds the competitor and the account when misspelt', async () => {
    expect((await keys('globx')).sort()).toEqual(['acme', 'initech']);
    expect(await keys('initek')).toEqual(['initech']);
    expect((await keys('competitor:globx')).sort()).toEqual(['acme', 'initech']);
    expect(await keys('competitor:hooli')).toEqual(['vandelay', 'umbrella']);
    // The snippet shows what was found, not the misspelling.
    const { hits } = await search.search(query('initek'), scope, { limit: 1 });
    expect(hits[0]?.snippet).toContain('\u0001Initech\u0002');
    // A word that is nowhere and resembles no name finds nothing, rather than everything.
    expect(await keys('zeppelin')).toEqual([]);
    expect(await keys('acme zeppelin')).toEqual([]);
  });

  it('orders equally relevant losses by recency', async () => {
    // Both name Hooli once, as the winner: the later loss comes first.
    expect(await keys('hooli')).toEqual(['vandelay', 'umbrella']);
    expect(await keys('rep:<@U0RITA0001>')).toEqual(['acme', 'umbrella']);
  });

  it('indexes buyer quotes, perspectives, lessons and thread replies, but not Slack markup', async () => {
    expect(await keys('"fiscal year"')).toEqual(['umbrella']);
    expect(await keys('champion')).toEqual(['umbrella']);
    expect(await keys('discovery')).toEqual(['initech']);
    expect(await keys('roadmap')).toEqual(['initech']);
    expect(await keys('wiki')).toEqual([]);
    expect(await keys('u0rita0001')).toEqual([]);
  });

  it('applies every filter', async () => {
    expect(await keys('reason:timing')).toEqual(['umbrella']);
    expect(await keys('reason:product')).toEqual(['acme', 'initech']); // secondary reasons count
    expect(await keys('owner:<@U0SAM00001>')).toEqual(['vandelay', 'initech', 'stark']);
    expect(await keys('since:2026-06-15 until:2026-09')).toEqual(['umbrella', 'initech']);
    expect(await keys('since:2026-10')).toEqual(['vandelay', 'acme']);
    expect(await keys('min:10k max:100k')).toEqual(['vandelay', 'acme', 'initech']);
    expect(await keys('status:open')).toEqual(['vandelay', 'stark']);
    expect(await keys('pricing status:reviewed')).toEqual(['acme']);
  });

  it('matches rep: against anonymous authors for managers only', async () => {
    expect(await keys(`rep:<@${ANON}>`)).toEqual([]);
    expect(await keys(`rep:<@${ANON}>`, { includeAnonymousAuthors: true })).toEqual(['umbrella']);
    expect(await keys(`rep:<@${SAM}>`)).toEqual(['vandelay', 'initech', 'stark']);
  });

  it('leaves out channels the searcher cannot see', async () => {
    expect(await keys('wayne')).toEqual([]);
    expect(await keys('globex')).not.toContain('wayne');
    expect(await keys('wayne', { visibleChannelIds: [CORPUS_CHANNEL, CORPUS_PRIVATE_CHANNEL] })).toEqual(['wayne']);
    expect(await keys('globex', { visibleChannelIds: [] })).toEqual([]);
  });

  it('pages through the results without repeating or skipping any, across relevance tiers', async () => {
    expect(await allPages('', 2)).toEqual([['vandelay', 'acme'], ['umbrella', 'initech'], ['stark']]);
    // acme and stark match in their reasons (first tier), initech only in its thread (last tier).
    for (const limit of [1, 2, 3]) {
      expect((await allPages('pricing', limit)).flat()).toEqual(['acme', 'stark', 'initech']);
    }
    expect(await allPages('pricing', 2)).toEqual([['acme', 'stark'], ['initech']]);
    expect(await allPages('pricing', 3)).toEqual([['acme', 'stark', 'initech']]);
    expect(await allPages('zeppelin', 2)).toEqual([[]]);
  });

  it('returns what a result shows: snippet with the matched words marked, reason, winner, amount, lessons', async () => {
    const {
      hits: [hit],
    } = await search.search(query('onboarding'), scope, { limit: 1 });
    expect(hit).toMatchObject({
      dealName: 'Acme Corp renewal',
      competitor: 'Globex',
      primaryReason: 'price_budget',
      amount: '48000.00',
      currency: 'USD',
      lostOn: '2026-10-01',
      lessonsCount: 1,
      status: 'reviewed',
      whyWinnerWon: 'Bundled onboarding at no extra cost.',
      firstLesson: 'Bring the economic buyer in before pricing comes up.',
      permalink: expect.stringContaining(`/archives/${CORPUS_CHANNEL}/`),
    });
    expect(hit?.snippet).toContain('\u0001onboarding\u0002');
  });

  it('stays current as answers change, through the database alone', async () => {
    const { prisma } = database;
    expect(await keys('escalation')).toEqual([]);
    await prisma.threadReply.create({
      data: { retroId: ids.stark!, messageTs: '1760000200.000001', authorSlackUserId: SAM, text: 'An escalation would have saved it', postedAt: new Date() },
    });
    expect(await keys('escalation')).toEqual(['stark']);
    await prisma.threadReply.updateMany({ where: { retroId: ids.stark! }, data: { deletedAt: new Date(), text: '' } });
    expect(await keys('escalation')).toEqual([]);

    await prisma.debrief.updateMany({ where: { retroId: ids.stark! }, data: { primaryReason: 'sales_execution' } });
    expect(await keys('reason:execution')).toEqual(['stark']);
    await prisma.retroOutcome.create({ data: { retroId: ids.stark!, primaryReason: 'risk_implementation', closedBySlackUserId: SAM, closedAt: new Date() } });
    expect(await keys('reason:risk')).toEqual(['stark']);
    await prisma.deal.updateMany({ where: { name: 'Stark Industries pilot' }, data: { name: 'Stark Industries rollout' } });
    expect(await keys('rollout')).toEqual(['stark']);
    await prisma.lesson.create({
      data: { retroId: ids.stark!, text: 'Confirm the budget line first', source: 'reply', sourceMessageTs: '1.2', createdBySlackUserId: SAM },
    });
    const {
      hits: [stark],
    } = await search.search(query('rollout'), scope, { limit: 1 });
    expect(stark?.lessonsCount).toBe(1);
  });

  it('reports whether a query has any match at all', async () => {
    expect(await search.hasMatches(query('globex'), scope)).toBe(true);
    expect(await search.hasMatches(query('zeppelin'), scope)).toBe(false);
  });

  it("lists the channels the workspace's retros live in, not other workspaces'", async () => {
    await seedLossCorpus(database.prisma, otherWorkspaceId, [{ key: 'elsewhere', name: 'Elsewhere', lostAt: '2026-01-01', owner: SAM, channelId: 'C0ELSEWHERE' }]);
    expect((await search.listRetroChannels(scope.workspaceId)).sort()).toEqual([CORPUS_CHANNEL, CORPUS_PRIVATE_CHANNEL].sort());
    expect((await search.listRetroChannels(otherWorkspaceId)).sort()).toEqual(['C0ELSEWHERE', CORPUS_CHANNEL]);
  });
});
