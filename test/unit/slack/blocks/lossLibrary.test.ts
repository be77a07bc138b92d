import type { TLibraryLesson } from '../../../../src/repositories/library';
import { groupLessons, LIBRARY_LIMITS, type TLossLibrary } from '../../../../src/services/lossLibrary';
import { buildLossLibraryHome } from '../../../../src/slack/blocks/lossLibrary';
import { ACTIONS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, findSlackLimitViolations, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';

function lesson(overrides: Partial<TLibraryLesson> = {}): TLibraryLesson {
  return {
    text: 'Bring the economic buyer in before pricing comes up.',
    retroId: 'retro-1',
    dealName: 'Acme Corp renewal',
    competitor: 'Globex',
    primaryReason: 'price_budget',
    permalink: 'https://test.slack.com/archives/C1/p1',
    ...overrides,
  };
}

const EMPTY: TLossLibrary = { startHere: [], byCompetitor: [], byReason: [], latestRetros: [], myOpenDebriefs: [], myActionItems: [] };

describe('groupLessons', () => {
  it('groups case-insensitively, biggest group first, ties to the newest lesson, keeping a few per group', () => {
    const lessons = [
      lesson({ text: 'h1', competitor: 'Hooli' }),
      lesson({ text: 'g1', competitor: 'Globex' }),
      lesson({ text: 'g2', competitor: 'globex ' }),
      lesson({ text: 'n1', competitor: null }),
      lesson({ text: 'g3', competitor: 'GLOBEX' }),
      lesson({ text: 'i1', competitor: 'Initrode' }),
      lesson({ text: 'h2', competitor: 'Hooli' }),
    ];
    const groups = groupLessons(lessons, (item) => item.competitor, { groups: 2, perGroup: 2 });
    expect(groups.map((group) => [group.name, group.total, group.lessons.map((item) => item.text)])).toEqual([
      ['Globex', 3, ['g1', 'g2']],
      ['Hooli', 2, ['h1', 'h2']],
    ]);
  });
});

describe('loss library home view', () => {
  it('shows where to start, lessons by competitor and by reason, the latest retros, and what waits for the reader', () => {
    const library: TLossLibrary = {
      startHere: [lesson()],
      byCompetitor: [{ name: 'Globex', total: 3, lessons: [lesson()] }],
      byReason: [{ name: 'timing_no_decision', total: 1, lessons: [lesson({ text: 'Multi-thread early.', competitor: 'Hooli' })] }],
      latestRetros: [
        { retroId: 'r1', dealName: 'Umbrella platform', competitor: 'Hooli', primaryReason: 'timing_no_decision', status: 'debriefed', lostOn: '2026-09-10', lessonsCount: 1, permalink: null },
      ],
      myOpenDebriefs: [{ retroId: 'r2', dealName: 'Vandelay Imports', lostOn: '2026-10-20', permalink: 'https://test.slack.com/archives/C1/p2' }],
      myActionItems: [{ text: 'Build an onboarding bundle offer', dueOn: '2026-12-01', dealName: 'Acme Corp renewal', permalink: null }],
    };
    const view = buildLossLibraryHome(library);
    assertWithinSlackLimits(view);
    const text = mrkdwnTexts(view).join('\n');
    expect(JSON.stringify(view.blocks)).toContain(ACTIONS.openSearch);
    expect(text).toContain('Bring the economic buyer in before pricing comes up.');
    expect(text).toContain('*Against Globex* · 3 lessons');
    expect(text).toContain('*Timing or no decision* · 1 lesson');
    expect(text).toContain('lost to Hooli');
    expect(text).toContain('*Umbrella platform*');
    expect(text).toContain('<https://test.slack.com/archives/C1/p2|Vandelay Imports>, lost Oct 20, 2026');
    expect(text).toContain('Build an onboarding bundle offer, due Dec 1, 2026');
    expect(JSON.stringify(view.blocks)).toContain('Start here');
  });

  it('explains itself when the library is empty, and shows no "waiting for you" section', () => {
    const view = buildLossLibraryHome(EMPTY);
    assertWithinSlackLimits(view);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('No lessons are flagged for new reps yet');
    expect(text).toContain('No retros yet');
    expect(text).not.toContain('Waiting for you');
  });

  it('stays within 100 blocks and every text limit with the most and longest data', () => {
    const long = 'word '.repeat(1000);
    const many = Array.from({ length: 300 }, (_, index) => lesson({ text: long, dealName: long, competitor: `${long}${index}` }));
    const library: TLossLibrary = {
      startHere: many.slice(0, LIBRARY_LIMITS.startHere),
      byCompetitor: groupLessons(many, (item) => item.competitor, { groups: LIBRARY_LIMITS.groups, perGroup: LIBRARY_LIMITS.lessonsPerGroup }),
      byReason: groupLessons(many, (item) => item.primaryReason, { groups: LIBRARY_LIMITS.groups, perGroup: LIBRARY_LIMITS.lessonsPerGroup }),
      latestRetros: Array.from({ length: LIBRARY_LIMITS.latestRetros }, (_, index) => ({
        retroId: `r${index}`,
        dealName: long,
        competitor: long,
        primaryReason: 'other',
        status: 'open' as const,
        lostOn: '2026-01-01',
        lessonsCount: 3,
        permalink: `https://test.slack.com/archives/C1/p${index}`,
      })),
      myOpenDebriefs: Array.from({ length: LIBRARY_LIMITS.mine }, (_, index) => ({ retroId: `d${index}`, dealName: long, lostOn: '2026-01-01', permalink: null })),
      myActionItems: Array.from({ length: LIBRARY_LIMITS.mine }, () => ({ text: long, dueOn: '2026-01-01', dealName: long, permalink: null })),
    };
    const view = buildLossLibraryHome(library);
    expect(findSlackLimitViolations(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
  });

  it('escapes what people wrote', () => {
    const view = buildLossLibraryHome({ ...EMPTY, startHere: [lesson({ text: 'Ping <!channel> now', dealName: '<@U0BOSS>' })] });
    expect(liveMentions(view)).toEqual([]);
  });
});
