import { pickStartHere, summariseDigest, winnerOf } from '../../../../src/domain/digest/summarise';
import type { TStartHereCandidate } from '../../../../src/domain/digest/types';
import { BEFORE_PERIOD, IN_PERIOD, PERIOD, debrief, input, loss } from './fixtures';

describe('summariseDigest', () => {
  it('says an empty week is empty, whatever happened in the weeks before', () => {
    const digest = summariseDigest(input({ losses: [loss({ openedAt: BEFORE_PERIOD })] }));
    expect(digest.lossCount).toBe(0);
    expect(digest.losses).toEqual([]);
    expect(digest.money).toEqual([]);
    expect(digest.previousWeeklyAverage).toBe(0.25);
  });

  it('summarises one loss: count, money, reason, winner and why they won', () => {
    const digest = summariseDigest(input({ losses: [loss({ dealName: 'Acme renewal', amount: '48000.00' })] }));
    expect(digest.lossCount).toBe(1);
    expect(digest.money).toEqual([{ currency: 'USD', total: '48000.00', previousWeeklyAverage: null }]);
    expect(digest.reasons).toEqual([{ reason: 'price_budget', count: 1, previousCount: 0 }]);
    expect(digest.competitors).toEqual([
      {
        name: 'Globex',
        wins: 1,
        previousWins: 0,
        quotes: [{ text: 'Bundled onboarding at no extra cost.', attribution: 'Robin Rep', retro: expect.objectContaining({ dealName: 'Acme renewal' }) }],
      },
    ]);
    expect(digest.priceToValue).toEqual([{ verdict: 'ours_worse', count: 1 }]);
  });

  it('keeps every currency apart and compares each with its own weekly average', () => {
    const digest = summariseDigest(
      input({
        losses: [
          loss({ amount: '10000.00', currency: 'USD' }),
          loss({ amount: '5000.10', currency: 'usd' }),
          loss({ amount: '7000.50', currency: 'EUR' }),
          loss({ amount: null, currency: null }),
          loss({ amount: '99999999999999.99', currency: 'JPY' }),
          loss({ amount: '30000.00', currency: 'USD', openedAt: BEFORE_PERIOD }),
          loss({ amount: '1.00', currency: 'USD', openedAt: BEFORE_PERIOD }),
        ],
      }),
    );
    expect(digest.money).toEqual([
      { currency: 'JPY', total: '99999999999999.99', previousWeeklyAverage: null },
      { currency: 'USD', total: '15000.10', previousWeeklyAverage: '7500.25' },
      { currency: 'EUR', total: '7000.50', previousWeeklyAverage: null },
    ]);
    expect(digest.lossesWithoutAmount).toBe(1);
  });

  it('compares with the four weeks before the period only', () => {
    const fiveWeeksBefore = new Date(PERIOD.start.getTime() - 5 * 7 * 86_400_000 + 3_600_000);
    const justBefore = new Date(PERIOD.start.getTime() - 1);
    const digest = summariseDigest(
      input({ losses: [loss(), loss(), loss({ openedAt: justBefore }), loss({ openedAt: BEFORE_PERIOD }), loss({ openedAt: fiveWeeksBefore })] }),
    );
    expect(digest.lossCount).toBe(2);
    expect(digest.previousWeeklyAverage).toBe(0.5);
  });

  it('counts a loss by the zone clock: 23:30 on Sunday is this week, 00:00 on Monday the next', () => {
    const sundayNight = new Date('2026-11-22T22:30:00Z'); // 23:30 in Berlin
    const mondayMidnight = new Date('2026-11-22T23:00:00Z'); // 00:00 in Berlin, week 48
    const mondayMorningUtc = new Date('2026-11-15T23:30:00Z'); // Monday 00:30 in Berlin, still Sunday in UTC
    const digest = summariseDigest(
      input({ losses: [loss({ dealName: 'sunday', openedAt: sundayNight }), loss({ dealName: 'next', openedAt: mondayMidnight }), loss({ dealName: 'first', openedAt: mondayMorningUtc })] }),
    );
    expect(digest.losses.map((line) => line.retro.dealName)).toEqual(['first', 'sunday']);
  });

  it('prefers the reason the team agreed on over the rep\'s, and counts the undebriefed apart', () => {
    const digest = summariseDigest(
      input({
        losses: [
          loss({ agreedReason: 'sales_execution', debrief: debrief({ primaryReason: 'price_budget' }) }),
          loss({ debrief: debrief({ primaryReason: 'price_budget' }) }),
          loss({ debrief: null, status: 'open', competitor: null }),
          loss({ openedAt: BEFORE_PERIOD, debrief: debrief({ primaryReason: 'product_gap' }) }),
        ],
      }),
    );
    expect(digest.reasons).toEqual([
      { reason: 'price_budget', count: 1, previousCount: 0 },
      { reason: 'sales_execution', count: 1, previousCount: 0 },
      { reason: null, count: 1, previousCount: 0 },
      { reason: 'product_gap', count: 0, previousCount: 1 },
    ]);
    expect(digest.losses.filter((line) => line.waitingForDebrief)).toHaveLength(1);
  });

  it('groups winners however they were spelled, ranks them, and quotes at most two per winner', () => {
    const digest = summariseDigest(
      input({
        losses: [
          loss({ debrief: debrief({ winnerName: 'Globex', whyWinnerWon: 'One' }) }),
          loss({ debrief: debrief({ winnerName: ' globex ', whyWinnerWon: 'Two' }) }),
          loss({ debrief: debrief({ winnerName: 'Globex', whyWinnerWon: 'Three' }) }),
          loss({ debrief: debrief({ winnerName: 'Initech', whyWinnerWon: null }) }),
          loss({ debrief: debrief({ outcome: 'no_decision', winnerName: null }), competitor: 'Hooli' }),
          loss({ debrief: null, status: 'open', competitor: 'Umbrella' }),
          loss({ openedAt: BEFORE_PERIOD, debrief: debrief({ winnerName: 'Initech' }) }),
        ],
      }),
    );
    expect(digest.competitors.map(({ name, wins, previousWins }) => ({ name, wins, previousWins }))).toEqual([
      { name: 'Globex', wins: 3, previousWins: 0 },
      { name: 'Initech', wins: 1, previousWins: 1 },
      { name: 'Umbrella', wins: 1, previousWins: 0 },
    ]);
    expect(digest.competitors[0]!.quotes.map((quote) => quote.text)).toEqual(['One', 'Two']);
  });

  it('reads the winner from the debrief, and from the CRM only before there is one', () => {
    expect(winnerOf(loss({ debrief: debrief({ outcome: 'in_house', winnerName: null }), competitor: 'Globex' }))).toBeNull();
    expect(winnerOf(loss({ debrief: null, competitor: '  Globex   Corp ' }))).toBe('Globex Corp');
  });

  describe('anonymity', () => {
    const anonymousInput = input({
      losses: [
        loss({ dealName: 'Anon debrief', debrief: debrief({ authorSlackUserId: 'U0REP0001', anonymous: true }) }),
        loss({ dealName: 'Anon in a perspective', anonymousSlackUserIds: ['U0REP0001'], debrief: debrief({ whyWinnerWon: 'Faster' }) }),
        loss({ dealName: 'Named', debrief: debrief({ authorSlackUserId: 'U0SE00001', whyWinnerWon: 'Cheaper' }) }),
      ],
      lessons: [
        { retroId: 'r1', dealName: 'Anon in a perspective', threadUrl: null, anonymousSlackUserIds: ['U0REP0001'], text: 'Meet the CFO', authorSlackUserId: 'U0REP0001', createdAt: IN_PERIOD },
        { retroId: 'r2', dealName: 'Named', threadUrl: null, anonymousSlackUserIds: [], text: 'Demo early', authorSlackUserId: 'U0SE00001', createdAt: IN_PERIOD },
        { retroId: 'r4', dealName: 'Elsewhere', threadUrl: null, anonymousSlackUserIds: [], text: 'Ask about budget', authorSlackUserId: 'U0REP0001', createdAt: IN_PERIOD },
      ],
      openActionItems: [
        { retroId: 'r1', dealName: 'Anon in a perspective', threadUrl: null, anonymousSlackUserIds: ['U0REP0001'], text: 'Fix pricing page', ownerSlackUserId: 'U0REP0001', dueOn: '2026-11-30' },
      ],
      waitingRetros: [
        { retroId: 'r3', dealName: 'Waiting', threadUrl: null, anonymousSlackUserIds: ['U0REP0001'], ownerSlackUserId: 'U0REP0001', ownerName: 'Robin Rep', openedAt: IN_PERIOD },
      ],
    });

    it('leaves out the names of people who asked for it, and only on the retros where they did', () => {
      const digest = summariseDigest(anonymousInput);
      const quotes = digest.competitors.flatMap((competitor) => competitor.quotes);
      expect(quotes.map((quote) => [quote.retro.dealName, quote.attribution])).toEqual([
        ['Anon debrief', null],
        ['Anon in a perspective', null],
      ]);
      expect(digest.lessons.map((lesson) => [lesson.text, lesson.attribution])).toEqual([
        ['Meet the CFO', null],
        ['Demo early', 'Sam Engineer'],
        // The same person, on a retro where they did not ask for anonymity.
        ['Ask about budget', 'Robin Rep'],
      ]);
      expect(digest.actionItems[0]!.ownerSlackUserId).toBeNull();
      expect(digest.waiting[0]).toMatchObject({ ownerSlackUserId: null, ownerName: null });
    });
  });

  it('lists open action items by due date and marks the overdue ones', () => {
    const item = (text: string, dueOn: string) => ({ retroId: 'r', dealName: 'd', threadUrl: null, anonymousSlackUserIds: [], text, ownerSlackUserId: 'U0SE00001', dueOn });
    const digest = summariseDigest(input({ losses: [loss()], openActionItems: [item('later', '2026-12-01'), item('late', '2026-11-20')] }));
    expect(digest.actionItems.map((entry) => [entry.text, entry.overdue])).toEqual([
      ['late', true],
      ['later', false],
    ]);
  });

  it('points new reps at reviewed retros with lessons for them, best first', () => {
    const candidate = (overrides: Partial<TStartHereCandidate>): TStartHereCandidate => ({
      retroId: 'r',
      dealName: 'd',
      threadUrl: null,
      anonymousSlackUserIds: [],
      openedAt: BEFORE_PERIOD,
      reviewed: true,
      agreedReason: 'price_budget',
      sharedLessons: [],
      lessonCount: 0,
      perspectiveCount: 0,
      ...overrides,
    });
    const picked = pickStartHere(
      [
        candidate({ dealName: 'plain reviewed' }),
        candidate({ dealName: 'two lessons for reps', sharedLessons: ['a', 'b'], lessonCount: 2 }),
        candidate({ dealName: 'not reviewed, no lessons', reviewed: false }),
        candidate({ dealName: 'after the period', openedAt: new Date(PERIOD.end.getTime() + 1), sharedLessons: ['x', 'y', 'z'], lessonCount: 3 }),
        candidate({ dealName: 'one lesson, perspectives', sharedLessons: ['c'], lessonCount: 1, perspectiveCount: 2 }),
        candidate({ dealName: 'older plain reviewed', openedAt: new Date(BEFORE_PERIOD.getTime() - 1) }),
      ],
      PERIOD.end,
    );
    expect(picked.map((entry) => entry.dealName)).toEqual(['two lessons for reps', 'one lesson, perspectives', 'plain reviewed']);
  });
});
