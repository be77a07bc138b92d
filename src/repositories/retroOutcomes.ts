import { z } from 'zod';
import type { TLossReason } from '../domain/debrief';
import { REASON_VALUE_PATTERN } from '../domain/lossReasons';
import type { TRetroOutcomeAnswers } from '../domain/teamRetro';
import type { PrismaClient } from '../generated/prisma/client';
import { createDeliveryQueue, type TDeliveryQueue, type TDeliveryRequest } from './slackDeliveries';
import { isoDateToUtcDate, toIsoDate } from '../lib/dates';
import { isUniqueViolation } from './errors';
import { lockRetroRow } from './retros';

export interface TStoredOutcome {
  id: string;
  retroId: string;
  primaryReason: TLossReason;
  messageTs: string | null;
  closedBySlackUserId: string;
  closedAt: Date;
  revision: number;
  /** Who saved the latest revision, and when (the closer, until someone edits). */
  lastSavedBySlackUserId: string;
  lastSavedAt: Date;
}

export interface TOutcomeRevision {
  revision: number;
  savedBySlackUserId: string;
  savedAt: Date;
  snapshot: TRetroOutcomeAnswers;
}

// Any reason value: the workspace's reasons change over time, and old snapshots must stay readable.
const ZLossReason = z.string().regex(REASON_VALUE_PATTERN);

/** The snapshot column is JSON; it is read back through this schema, never trusted as-is. */
export const ZOutcomeSnapshot = z.object({
  primaryReason: ZLossReason,
  lessons: z.array(z.object({ text: z.string(), shareWithNewReps: z.boolean() })),
  actionItems: z.array(z.object({ text: z.string(), ownerSlackUserId: z.string(), dueOn: z.iso.date() })),
});

/** Copies the answers field by field: exactly what ZOutcomeSnapshot reads back, nothing more. */
function toSnapshot(answers: TRetroOutcomeAnswers) {
  return {
    primaryReason: answers.primaryReason,
    lessons: answers.lessons.map((lesson) => ({ text: lesson.text, shareWithNewReps: lesson.shareWithNewReps })),
    actionItems: answers.actionItems.map((item) => ({ text: item.text, ownerSlackUserId: item.ownerSlackUserId, dueOn: item.dueOn })),
  };
}

const outcomeSelect = {
  id: true,
  retroId: true,
  primaryReason: true,
  messageTs: true,
  closedBySlackUserId: true,
  closedAt: true,
  revision: true,
  revisions: { orderBy: { revision: 'desc' }, take: 1, select: { savedBySlackUserId: true, savedAt: true } },
} as const;

type TOutcomeRow = {
  id: string;
  retroId: string;
  primaryReason: string;
  messageTs: string | null;
  closedBySlackUserId: string;
  closedAt: Date;
  revision: number;
  revisions: Array<{ savedBySlackUserId: string; savedAt: Date }>;
};

function toStored(row: TOutcomeRow): TStoredOutcome {
  const { revisions, primaryReason, ...rest } = row;
  const latest = revisions[0];
  return {
    ...rest,
    primaryReason: ZLossReason.parse(primaryReason),
    lastSavedBySlackUserId: latest?.savedBySlackUserId ?? row.closedBySlackUserId,
    lastSavedAt: latest?.savedAt ?? row.closedAt,
  };
}

export type TSaveOutcomeResult = { outcome: TStoredOutcome; firstClose: boolean };
export interface TSaveOutcomeInput {
  retroId: string;
  savedBySlackUserId: string;
  at: Date;
  answers: TRetroOutcomeAnswers;
  deliveries?: (result: TSaveOutcomeResult) => TDeliveryRequest[];
}

export function createRetroOutcomeRepository(prisma: PrismaClient, queue: TDeliveryQueue = createDeliveryQueue(prisma)) {
  /**
   * One transaction: the outcome (created, or edited with the next revision), its lessons and
   * action items, an immutable revision row with everything as saved, and the retro marked
   * reviewed. Lessons and action items are updated row by row (by position) so that their ids
   * stay stable and an action item already done stays done unless its text or owner changed.
   * The `deliveries` showing it in the thread are queued in the same transaction.
   */
  async function saveOnce(input: TSaveOutcomeInput): Promise<TSaveOutcomeResult> {
    const { retroId, savedBySlackUserId, at, answers } = input;
    return queue.withDeliveries(async (tx) => {
      await lockRetroRow(tx, retroId);
      const existing = await tx.retroOutcome.findUnique({ where: { retroId }, select: { id: true } });
      const saved = existing
        ? await tx.retroOutcome.update({
            where: { id: existing.id },
            data: { primaryReason: answers.primaryReason, revision: { increment: 1 } },
            select: { id: true, revision: true },
          })
        : await tx.retroOutcome.create({
            data: { retroId, primaryReason: answers.primaryReason, closedBySlackUserId: savedBySlackUserId, closedAt: at },
            select: { id: true, revision: true },
          });
      await tx.retroOutcomeRevision.create({
        data: { outcomeId: saved.id, revision: saved.revision, savedBySlackUserId, savedAt: at, snapshot: toSnapshot(answers) },
      });

      const lessons = await tx.lesson.findMany({ where: { retroId, source: 'outcome' }, select: { id: true, position: true } });
      for (const [position, lesson] of answers.lessons.entries()) {
        const current = lessons.find((row) => row.position === position);
        if (current) {
          await tx.lesson.update({ where: { id: current.id }, data: { text: lesson.text, shareWithNewReps: lesson.shareWithNewReps } });
        } else {
          await tx.lesson.create({
            data: { retroId, source: 'outcome', position, ...lesson, authorSlackUserId: savedBySlackUserId, createdBySlackUserId: savedBySlackUserId },
          });
        }
      }
      await tx.lesson.deleteMany({ where: { retroId, source: 'outcome', position: { gte: answers.lessons.length } } });

      const items = await tx.actionItem.findMany({ where: { retroId }, select: { id: true, position: true, text: true, ownerSlackUserId: true, dueOn: true } });
      for (const [position, item] of answers.actionItems.entries()) {
        const current = items.find((row) => row.position === position);
        const dueOn = isoDateToUtcDate(item.dueOn);
        if (!current) {
          await tx.actionItem.create({ data: { retroId, position, text: item.text, ownerSlackUserId: item.ownerSlackUserId, dueOn, createdBySlackUserId: savedBySlackUserId } });
          continue;
        }
        const sameTask = current.text === item.text && current.ownerSlackUserId === item.ownerSlackUserId;
        const sameSchedule = toIsoDate(current.dueOn) === item.dueOn && current.ownerSlackUserId === item.ownerSlackUserId;
        await tx.actionItem.update({
          where: { id: current.id },
          data: {
            text: item.text,
            ownerSlackUserId: item.ownerSlackUserId,
            dueOn,
            // A different task (or owner) is not done yet; a new date or owner deserves its reminder.
            ...(sameTask ? {} : { doneAt: null }),
            ...(sameSchedule ? {} : { dueReminderSentAt: null }),
          },
        });
      }
      await tx.actionItem.deleteMany({ where: { retroId, position: { gte: answers.actionItems.length } } });

      // A retro whose deal the CRM reopened keeps saying so; otherwise the team has reviewed it.
      await tx.retro.updateMany({ where: { id: retroId, status: { in: ['open', 'debriefed'] } }, data: { status: 'reviewed' } });
      await tx.retro.updateMany({ where: { id: retroId, closedAt: null }, data: { closedAt: at } });

      const row = await tx.retroOutcome.findUniqueOrThrow({ where: { id: saved.id }, select: outcomeSelect });
      return { outcome: toStored(row), firstClose: existing === null };
    }, input.deliveries && ((result: TSaveOutcomeResult) => input.deliveries?.(result) ?? []));
  }

  return {
    async findForRetro(retroId: string): Promise<TStoredOutcome | null> {
      const row = await prisma.retroOutcome.findUnique({ where: { retroId }, select: outcomeSelect });
      return row ? toStored(row) : null;
    },

    async save(input: TSaveOutcomeInput): Promise<TSaveOutcomeResult> {
      try {
        return await saveOnce(input);
      } catch (error) {
        // Two first closes at once: the loser's create hit the unique retro_id; it now edits.
        if (!isUniqueViolation(error)) throw error;
        return saveOnce(input);
      }
    },

    async setMessageTs(outcomeId: string, messageTs: string): Promise<void> {
      await prisma.retroOutcome.update({ where: { id: outcomeId }, data: { messageTs } });
    },

    /** Every saved version, oldest first: the audit trail of the outcome. */
    async listRevisions(retroId: string): Promise<TOutcomeRevision[]> {
      const rows = await prisma.retroOutcomeRevision.findMany({
        where: { outcome: { retroId } },
        orderBy: { revision: 'asc' },
        select: { revision: true, savedBySlackUserId: true, savedAt: true, snapshot: true },
      });
      return rows.map((row) => ({ ...row, snapshot: ZOutcomeSnapshot.parse(row.snapshot) }));
    },
  };
}
export type TRetroOutcomeRepository = ReturnType<typeof createRetroOutcomeRepository>;
