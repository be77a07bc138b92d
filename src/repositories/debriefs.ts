import type { TDebriefAnswers, TOutcome, TPriceToValue } from '../domain/debrief';
import type { PrismaClient } from '../generated/prisma/client';
import { isoDateToUtcDate, toIsoDate } from '../lib/dates';
import { lockRetroRow } from './retros';
import { workspaceWhere, type TWorkspaceScope } from './scope';
import { createDeliveryQueue, type TDeliveryQueue, type TDeliveryRequest } from './slackDeliveries';

export interface TStoredDebrief {
  id: string;
  retroId: string;
  authorSlackUserId: string;
  answers: TDebriefAnswers;
  summaryTs: string | null;
  revision: number;
}

const debriefSelect = {
  id: true,
  retroId: true,
  authorSlackUserId: true,
  primaryReason: true,
  secondaryReasons: true,
  outcome: true,
  winnerName: true,
  whyWinnerWon: true,
  priceToValue: true,
  buyerWords: true,
  wentWell: true,
  wentWrong: true,
  featureGaps: true,
  revisitOn: true,
  anonymous: true,
  summaryTs: true,
  revision: true,
} as const;

type TDebriefRow = {
  id: string;
  retroId: string;
  authorSlackUserId: string;
  primaryReason: string;
  secondaryReasons: string[];
  outcome: string;
  winnerName: string | null;
  whyWinnerWon: string | null;
  priceToValue: string | null;
  buyerWords: string | null;
  wentWell: string | null;
  wentWrong: string | null;
  featureGaps: string | null;
  revisitOn: Date | null;
  anonymous: boolean;
  summaryTs: string | null;
  revision: number;
};

function toStored(row: TDebriefRow): TStoredDebrief {
  return {
    id: row.id,
    retroId: row.retroId,
    authorSlackUserId: row.authorSlackUserId,
    summaryTs: row.summaryTs,
    revision: row.revision,
    // The columns only ever receive validated TDebriefAnswers values (see upsert below).
    answers: {
      // Any workspace's reason value: labels come from its catalog (services/lossReasons.ts).
      primaryReason: row.primaryReason,
      secondaryReasons: row.secondaryReasons,
      outcome: row.outcome as TOutcome,
      winnerName: row.winnerName,
      whyWinnerWon: row.whyWinnerWon,
      priceToValue: row.priceToValue as TPriceToValue | null,
      buyerWords: row.buyerWords,
      wentWell: row.wentWell,
      wentWrong: row.wentWrong,
      featureGaps: row.featureGaps,
      revisitOn: row.revisitOn ? toIsoDate(row.revisitOn) : null,
      anonymous: row.anonymous,
    },
  };
}

function toColumns(answers: TDebriefAnswers) {
  return { ...answers, revisitOn: answers.revisitOn ? isoDateToUtcDate(answers.revisitOn) : null };
}

export function createDebriefRepository(prisma: PrismaClient, queue: TDeliveryQueue = createDeliveryQueue(prisma)) {
  return {
    async find(retroId: string, authorSlackUserId: string): Promise<TStoredDebrief | null> {
      const row = await prisma.debrief.findUnique({
        where: { retroId_authorSlackUserId: { retroId, authorSlackUserId } },
        select: debriefSelect,
      });
      return row ? toStored(row) : null;
    },

    /**
     * One debrief per author per retro: a second submission edits it and bumps the revision. With
     * `debriefedAt`, the retro is marked debriefed (a reviewed one keeps its status), and the
     * `deliveries` showing it in the thread are queued, all in the same transaction.
     */
    async upsert(
      retroId: string,
      authorSlackUserId: string,
      answers: TDebriefAnswers,
      options: { debriefedAt?: Date; deliveries?: (debrief: TStoredDebrief) => TDeliveryRequest[] } = {},
    ): Promise<TStoredDebrief> {
      const columns = toColumns(answers);
      const { debriefedAt } = options;
      return queue.withDeliveries(async (tx) => {
        if (debriefedAt) await lockRetroRow(tx, retroId);
        const row = await tx.debrief.upsert({
          where: { retroId_authorSlackUserId: { retroId, authorSlackUserId } },
          create: { retroId, authorSlackUserId, ...columns },
          update: { ...columns, revision: { increment: 1 } },
          select: debriefSelect,
        });
        if (debriefedAt) {
          await tx.retro.updateMany({ where: { id: retroId, status: { in: ['open', 'reopened'] } }, data: { status: 'debriefed' } });
          await tx.retro.updateMany({ where: { id: retroId, debriefedAt: null }, data: { debriefedAt } });
        }
        return toStored(row);
      }, options.deliveries);
    },

    /** A debrief of a retro in the scope's workspace (a follow-up button carries the debrief id). */
    async findById(debriefId: string, scope: TWorkspaceScope): Promise<TStoredDebrief | null> {
      const row = await prisma.debrief.findFirst({ where: { id: debriefId, retro: workspaceWhere(scope) }, select: debriefSelect });
      return row ? toStored(row) : null;
    },

    async setSummaryTs(debriefId: string, summaryTs: string): Promise<void> {
      await prisma.debrief.update({ where: { id: debriefId }, data: { summaryTs } });
    },

    async listForRetro(retroId: string): Promise<TStoredDebrief[]> {
      const rows = await prisma.debrief.findMany({ where: { retroId }, orderBy: { createdAt: 'asc' }, select: debriefSelect });
      return rows.map(toStored);
    },
  };
}
export type TDebriefRepository = ReturnType<typeof createDebriefRepository>;
