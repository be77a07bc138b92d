import type { TLibraryLesson, TLibraryRetro, TOpenActionItem, TOpenDebrief } from '../repositories/library';
import type { TReasonCatalog } from '../domain/lossReasons';
import { loadReasonCatalog } from './lossReasons';
import { searchScopeFor, type TSearchDeps } from './search';

// The App Home tab as a loss library: where a new hire starts (lessons flagged for new reps), the
// lessons grouped by who beat us and by why we lost, the latest retros, and the reader's own open
// debriefs and action items. Everything respects the channels the reader can see.

export const LIBRARY_LIMITS = {
  startHere: 6,
  /** Lessons read to build the groups: the latest, which are the most relevant. */
  lessonsToGroup: 300,
  groups: 4,
  lessonsPerGroup: 3,
  latestRetros: 5,
  mine: 5,
} as const;

export interface TLessonGroup {
  /** The competitor as first written, or the reason code. */
  name: string;
  /** Lessons in the group among those read, newest first. */
  total: number;
  lessons: TLibraryLesson[];
}

export interface TLossLibrary {
  startHere: TLibraryLesson[];
  byCompetitor: TLessonGroup[];
  byReason: TLessonGroup[];
  latestRetros: TLibraryRetro[];
  myOpenDebriefs: TOpenDebrief[];
  myActionItems: TOpenActionItem[];
  /** The workspace's loss reasons, for the labels of byReason and latestRetros; built-in ones when left out. */
  reasons?: TReasonCatalog;
}

/**
 * Groups lessons (newest first) by a key, biggest group first (ties: the one with the newer
 * lesson); "Globex" and "globex " are one group, shown as first written.
 */
export function groupLessons(
  lessons: TLibraryLesson[],
  keyOf: (lesson: TLibraryLesson) => string | null,
  limits: { groups: number; perGroup: number },
): TLessonGroup[] {
  const groups = new Map<string, TLessonGroup & { firstIndex: number }>();
  lessons.forEach((lesson, index) => {
    const name = keyOf(lesson)?.trim();
    if (!name) return;
    const key = name.toLowerCase();
    const group = groups.get(key) ?? { name, total: 0, lessons: [], firstIndex: index };
    group.total += 1;
    if (group.lessons.length < limits.perGroup) group.lessons.push(lesson);
    groups.set(key, group);
  });
  return [...groups.values()]
    .sort((a, b) => b.total - a.total || a.firstIndex - b.firstIndex)
    .slice(0, limits.groups)
    .map(({ name, total, lessons: kept }) => ({ name, total, lessons: kept }));
}

export async function loadLossLibrary(
  deps: Omit<TSearchDeps, 'now'> & { now?: () => Date },
  input: { slackTeamId: string; slackUserId: string },
): Promise<TLossLibrary> {
  const context = await searchScopeFor(deps, input);
  if (!context) return { startHere: [], byCompetitor: [], byReason: [], latestRetros: [], myOpenDebriefs: [], myActionItems: [] };
  const { workspaceId, visibleChannelIds } = context.scope;
  const library = deps.repos.library;
  const [startHere, recent, latestRetros, myOpenDebriefs, myActionItems, reasons] = await Promise.all([
    library.lessonsForNewReps(workspaceId, visibleChannelIds, LIBRARY_LIMITS.startHere),
    library.recentLessons(workspaceId, visibleChannelIds, LIBRARY_LIMITS.lessonsToGroup),
    library.latestRetros(workspaceId, visibleChannelIds, LIBRARY_LIMITS.latestRetros),
    library.openDebriefsOf(workspaceId, input.slackUserId, LIBRARY_LIMITS.mine),
    library.openActionItemsOf(workspaceId, input.slackUserId, LIBRARY_LIMITS.mine),
    loadReasonCatalog(deps, { workspaceId }),
  ]);
  const limits = { groups: LIBRARY_LIMITS.groups, perGroup: LIBRARY_LIMITS.lessonsPerGroup };
  return {
    startHere,
    byCompetitor: groupLessons(recent, (lesson) => lesson.competitor, limits),
    byReason: groupLessons(recent, (lesson) => lesson.primaryReason, limits),
    latestRetros,
    myOpenDebriefs,
    myActionItems,
    reasons,
  };
}
