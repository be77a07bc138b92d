import type { PrismaClient } from '../generated/prisma/client';
import type { TRetroStatus } from '../domain/search';
import { toIsoDate } from '../lib/dates';

// What the App Home loss library shows: lessons (flagged for new reps, and recent ones to group by
// competitor and reason), the latest retros, and one person's open debriefs and action items.
// Lessons and retros are always limited to the channels the reader can see.

export interface TLibraryLesson {
  text: string;
  retroId: string;
  dealName: string;
  competitor: string | null;
  primaryReason: string | null;
  permalink: string | null;
}

export interface TLibraryRetro {
  retroId: string;
  dealName: string;
  competitor: string | null;
  primaryReason: string | null;
  status: TRetroStatus;
  lostOn: string;
  lessonsCount: number;
  permalink: string | null;
}

export interface TOpenDebrief {
  retroId: string;
  dealName: string;
  lostOn: string;
  permalink: string | null;
}

export interface TOpenActionItem {
  text: string;
  dueOn: string;
  dealName: string;
  permalink: string | null;
}

const lessonSelect = {
  text: true,
  retro: {
    select: {
      id: true,
      permalink: true,
      deal: { select: { name: true } },
      searchDocument: { select: { competitor: true, primaryReason: true } },
    },
  },
} as const;

type TLessonRow = {
  text: string;
  retro: { id: string; permalink: string | null; deal: { name: string }; searchDocument: { competitor: string | null; primaryReason: string | null } | null };
};

function toLesson(row: TLessonRow): TLibraryLesson {
  return {
    text: row.text,
    retroId: row.retro.id,
    dealName: row.retro.deal.name,
    competitor: row.retro.searchDocument?.competitor ?? null,
    primaryReason: row.retro.searchDocument?.primaryReason ?? null,
    permalink: row.retro.permalink,
  };
}

export function createLibraryRepository(prisma: PrismaClient) {
  const visibleRetros = (workspaceId: string, channelIds: readonly string[]) => ({ workspaceId, channelId: { in: [...channelIds] } });

  return {
    /** Lessons flagged for new reps, newest first. */
    async lessonsForNewReps(workspaceId: string, channelIds: readonly string[], take: number): Promise<TLibraryLesson[]> {
      const rows = await prisma.lesson.findMany({
        where: { shareWithNewReps: true, retro: visibleRetros(workspaceId, channelIds) },
        orderBy: { createdAt: 'desc' },
        take,
        select: lessonSelect,
      });
      return rows.map(toLesson);
    },

    /** The latest lessons, with their deal's competitor and reason, for grouping. */
    async recentLessons(workspaceId: string, channelIds: readonly string[], take: number): Promise<TLibraryLesson[]> {
      const rows = await prisma.lesson.findMany({
        where: { retro: visibleRetros(workspaceId, channelIds) },
        orderBy: { createdAt: 'desc' },
        take,
        select: lessonSelect,
      });
      return rows.map(toLesson);
    },

    /** The retros opened last. */
    async latestRetros(workspaceId: string, channelIds: readonly string[], take: number): Promise<TLibraryRetro[]> {
      const rows = await prisma.searchDocument.findMany({
        where: { workspaceId, channelId: { in: [...channelIds] } },
        orderBy: { retro: { createdAt: 'desc' } },
        take,
        select: {
          retroId: true,
          dealName: true,
          competitor: true,
          primaryReason: true,
          status: true,
          lostAt: true,
          lessonsCount: true,
          retro: { select: { permalink: true } },
        },
      });
      return rows.map((row) => ({
        retroId: row.retroId,
        dealName: row.dealName,
        competitor: row.competitor,
        primaryReason: row.primaryReason,
        status: row.status,
        lostOn: toIsoDate(row.lostAt),
        lessonsCount: row.lessonsCount,
        permalink: row.retro.permalink,
      }));
    },

    /** Deals this person owns whose retro still waits for their debrief. */
    async openDebriefsOf(workspaceId: string, slackUserId: string, take: number): Promise<TOpenDebrief[]> {
      const rows = await prisma.retro.findMany({
        where: {
          workspaceId,
          status: { in: ['open', 'reopened'] },
          deal: { ownerSlackUserId: slackUserId },
          debriefs: { none: { authorSlackUserId: slackUserId } },
        },
        orderBy: { createdAt: 'desc' },
        take,
        select: { id: true, permalink: true, deal: { select: { name: true, lostAt: true } } },
      });
      return rows.map((row) => ({ retroId: row.id, dealName: row.deal.name, lostOn: toIsoDate(row.deal.lostAt), permalink: row.permalink }));
    },

    /** Action items this person owns that are not done, soonest due first. */
    async openActionItemsOf(workspaceId: string, slackUserId: string, take: number): Promise<TOpenActionItem[]> {
      const rows = await prisma.actionItem.findMany({
        where: { ownerSlackUserId: slackUserId, doneAt: null, retro: { workspaceId } },
        orderBy: [{ dueOn: 'asc' }, { position: 'asc' }],
        take,
        select: { text: true, dueOn: true, retro: { select: { permalink: true, deal: { select: { name: true } } } } },
      });
      return rows.map((row) => ({ text: row.text, dueOn: toIsoDate(row.dueOn), dealName: row.retro.deal.name, permalink: row.retro.permalink }));
    },
  };
}
export type TLibraryRepository = ReturnType<typeof createLibraryRepository>;
