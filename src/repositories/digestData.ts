import type { TOutcome, TPriceToValue } from '../domain/debrief';
import type {
  TDigestActionItem,
  TDigestDebrief,
  TDigestLesson,
  TDigestLoss,
  TDigestWaitingRetro,
  TStartHereCandidate,
} from '../domain/digest/types';
import type { PrismaClient } from '../generated/prisma/client';
import { toIsoDate } from '../lib/dates';

// What the weekly digest reads, shaped as src/domain/digest/types.ts wants it. Thread links are the
// stored permalinks here; the digest service asks Slack for the ones still missing.

/** A retro the digest points at, before its permalink is known. */
export type TDigestRow<T> = Omit<T, 'threadUrl'> & { threadUrl: string | null; channelId: string; messageTs: string | null };

export interface TDigestData {
  losses: Array<TDigestRow<TDigestLoss>>;
  lessons: Array<TDigestRow<TDigestLesson>>;
  openActionItems: Array<TDigestRow<TDigestActionItem>>;
  waitingRetros: Array<TDigestRow<TDigestWaitingRetro>>;
  startHereCandidates: Array<TDigestRow<TStartHereCandidate>>;
}

/** Long lists are cut here; the digest shows a handful and counts the rest. */
const LIST_LIMIT = 200;
const START_HERE_POOL = 60;

const retroRefSelect = {
  id: true,
  channelId: true,
  messageTs: true,
  permalink: true,
  deal: { select: { name: true, ownerSlackUserId: true } },
  debriefs: { select: { authorSlackUserId: true, anonymous: true } },
  perspectives: { select: { authorSlackUserId: true, anonymous: true } },
} as const;

type TRetroRefRow = {
  id: string;
  channelId: string;
  messageTs: string | null;
  permalink: string | null;
  deal: { name: string; ownerSlackUserId: string | null };
  debriefs: Array<{ authorSlackUserId: string; anonymous: boolean }>;
  perspectives: Array<{ authorSlackUserId: string; anonymous: boolean }>;
};

function refOf(row: TRetroRefRow) {
  const anonymous = new Set(
    [...row.debriefs, ...row.perspectives].filter((entry) => entry.anonymous).map((entry) => entry.authorSlackUserId),
  );
  return {
    retroId: row.id,
    dealName: row.deal.name,
    threadUrl: row.permalink,
    channelId: row.channelId,
    messageTs: row.messageTs,
    anonymousSlackUserIds: [...anonymous].sort(),
  };
}

// A retro whose deal came back from lost is no longer a loss: it leaves the digest's counts and lists.
const STILL_LOST = { not: 'reopened' } as const;

export function createDigestDataRepository(prisma: PrismaClient) {
  return {
    /**
     * Everything one digest needs: losses reported in [from, to), lessons for new reps recorded in
     * [periodStart, to), and what is still open at `to`.
     */
    async load(workspaceId: string, window: { from: Date; periodStart: Date; to: Date }): Promise<TDigestData> {
      const lossRows = await prisma.retro.findMany({
        where: { workspaceId, status: STILL_LOST, createdAt: { gte: window.from, lt: window.to } },
        orderBy: { createdAt: 'asc' },
        select: {
          ...retroRefSelect,
          status: true,
          createdAt: true,
          deal: { select: { name: true, amount: true, currency: true, ownerSlackUserId: true, ownerName: true, competitor: true } },
          outcome: { select: { primaryReason: true } },
          debriefs: {
            orderBy: { createdAt: 'asc' },
            select: {
              authorSlackUserId: true,
              anonymous: true,
              primaryReason: true,
              outcome: true,
              winnerName: true,
              whyWinnerWon: true,
              priceToValue: true,
            },
          },
        },
      });
      const losses = lossRows.map((row): TDigestRow<TDigestLoss> => {
        // The owner's debrief speaks for the loss; a teammate's only when the owner wrote none.
        const debrief = row.debriefs.find((entry) => entry.authorSlackUserId === row.deal.ownerSlackUserId) ?? row.debriefs[0];
        return {
          ...refOf(row),
          amount: row.deal.amount === null ? null : row.deal.amount.toFixed(2),
          currency: row.deal.currency,
          ownerSlackUserId: row.deal.ownerSlackUserId,
          ownerName: row.deal.ownerName,
          openedAt: row.createdAt,
          status: row.status,
          competitor: row.deal.competitor,
          // Stored values were validated (the workspace's loss reasons, OUTCOMES etc.) when they were written.
          agreedReason: row.outcome?.primaryReason ?? null,
          debrief: debrief
            ? ({
                authorSlackUserId: debrief.authorSlackUserId,
                primaryReason: debrief.primaryReason,
                outcome: debrief.outcome as TOutcome,
                winnerName: debrief.winnerName,
                whyWinnerWon: debrief.whyWinnerWon,
                priceToValue: debrief.priceToValue as TPriceToValue | null,
                anonymous: debrief.anonymous,
              } satisfies TDigestDebrief)
            : null,
        };
      });

      const lessonRows = await prisma.lesson.findMany({
        where: { shareWithNewReps: true, createdAt: { gte: window.periodStart, lt: window.to }, retro: { workspaceId } },
        orderBy: { createdAt: 'asc' },
        take: LIST_LIMIT,
        select: { text: true, authorSlackUserId: true, createdAt: true, retro: { select: retroRefSelect } },
      });

      const actionRows = await prisma.actionItem.findMany({
        where: { doneAt: null, createdAt: { lt: window.to }, retro: { workspaceId } },
        orderBy: [{ dueOn: 'asc' }, { position: 'asc' }],
        take: LIST_LIMIT,
        select: { text: true, ownerSlackUserId: true, dueOn: true, retro: { select: retroRefSelect } },
      });

      const waitingRows = await prisma.retro.findMany({
        where: { workspaceId, status: 'open', createdAt: { lt: window.to }, debriefs: { none: {} } },
        orderBy: { createdAt: 'asc' },
        take: LIST_LIMIT,
        select: { ...retroRefSelect, createdAt: true, deal: { select: { name: true, ownerSlackUserId: true, ownerName: true } } },
      });

      const candidateRows = await prisma.retro.findMany({
        where: {
          workspaceId,
          status: STILL_LOST,
          createdAt: { lt: window.to },
          OR: [{ status: 'reviewed' }, { lessons: { some: {} } }],
        },
        orderBy: { createdAt: 'desc' },
        take: START_HERE_POOL,
        select: {
          ...retroRefSelect,
          createdAt: true,
          status: true,
          outcome: { select: { primaryReason: true } },
          lessons: { orderBy: [{ position: 'asc' }, { createdAt: 'asc' }], select: { text: true, shareWithNewReps: true } },
          _count: { select: { perspectives: true } },
        },
      });

      return {
        losses,
        lessons: lessonRows.map((row) => ({ ...refOf(row.retro), text: row.text, authorSlackUserId: row.authorSlackUserId, createdAt: row.createdAt })),
        openActionItems: actionRows.map((row) => ({
          ...refOf(row.retro),
          text: row.text,
          ownerSlackUserId: row.ownerSlackUserId,
          dueOn: toIsoDate(row.dueOn),
        })),
        waitingRetros: waitingRows.map((row) => ({
          ...refOf(row),
          ownerSlackUserId: row.deal.ownerSlackUserId,
          ownerName: row.deal.ownerName,
          openedAt: row.createdAt,
        })),
        startHereCandidates: candidateRows.map((row) => ({
          ...refOf(row),
          openedAt: row.createdAt,
          reviewed: row.status === 'reviewed',
          agreedReason: row.outcome?.primaryReason ?? null,
          sharedLessons: row.lessons.filter((lesson) => lesson.shareWithNewReps).map((lesson) => lesson.text),
          lessonCount: row.lessons.length,
          perspectiveCount: row._count.perspectives,
        })),
      };
    },
  };
}
export type TDigestDataRepository = ReturnType<typeof createDigestDataRepository>;
