import type { TLostDeal } from '../domain/lostDeal';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { RetroStatus } from '../generated/prisma/enums';
import { toIsoDate } from '../lib/dates';
import { isUniqueViolation } from './errors';
import { createDeliveryQueue, type TDeliveryQueue, type TDeliveryRequest } from './slackDeliveries';
import { workspaceWhere, type TWorkspaceScope } from './scope';

export interface TRetroRecord {
  id: string;
  workspaceId: string;
  channelId: string;
  messageTs: string | null;
  promptTs: string | null;
  status: RetroStatus;
  lossNumber: number;
  /** Set when the CRM reported the deal out of lost; the next loss then opens a new retro. */
  reopenedAt: Date | null;
  permalink: string | null;
  /** The retro of the deal's previous loss, for the "Lost before" link. */
  previousRetro: { id: string; lossNumber: number; channelId: string; messageTs: string | null; permalink: string | null } | null;
  deal: {
    id: string;
    source: TLostDeal['source'];
    externalId: string;
    name: string;
    amount: string | null;
    currency: string | null;
    ownerSlackUserId: string | null;
    ownerEmail: string | null;
    ownerName: string | null;
    competitor: string | null;
    crmLossReason: string | null;
    crmUrl: string | null;
    lostOn: string;
    loggedBySlackUserId: string | null;
  };
}

/**
 * Locks a retro's row first in a transaction that stores rows of that retro and then marks it (a
 * debrief, an outcome). Each of those writes refreshes the retro's search document in a trigger, so
 * without this the transaction holds the document and then waits for the retro, while a concurrent
 * change of the retro (a reopen from the CRM) holds the retro and waits for the document: deadlock.
 */
export async function lockRetroRow(tx: Prisma.TransactionClient, retroId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM retros WHERE id = ${retroId}::uuid FOR NO KEY UPDATE`;
}

const retroSelect = {
  id: true,
  workspaceId: true,
  channelId: true,
  messageTs: true,
  promptTs: true,
  status: true,
  lossNumber: true,
  reopenedAt: true,
  permalink: true,
  previousRetro: { select: { id: true, lossNumber: true, channelId: true, messageTs: true, permalink: true } },
  deal: {
    select: {
      id: true,
      source: true,
      externalId: true,
      name: true,
      amount: true,
      currency: true,
      ownerSlackUserId: true,
      ownerEmail: true,
      ownerName: true,
      competitor: true,
      crmLossReason: true,
      crmUrl: true,
      lostAt: true,
      loggedBySlackUserId: true,
    },
  },
} as const;

/** A row as retroSelect reads it: the record, but with Prisma's Decimal amount and the loss time. */
type TSelectedRetro = Omit<TRetroRecord, 'deal'> & {
  deal: Omit<TRetroRecord['deal'], 'amount' | 'lostOn'> & { amount: { toFixed(digits: number): string } | null; lostAt: Date };
};

function toRecord(row: TSelectedRetro): TRetroRecord {
  const { lostAt, amount, ...deal } = row.deal;
  return { ...row, deal: { ...deal, amount: amount === null ? null : amount.toFixed(2), lostOn: toIsoDate(lostAt) } };
}

/** What a retro's debrief form shows of its deal. */
export type TRetroDealSummary = Pick<TRetroRecord['deal'], 'name' | 'competitor' | 'ownerSlackUserId'>;

export type TRecordLossResult = { retro: TRetroRecord; created: boolean };

/** A retro closed by a reopen keeps its status history in reopenedAt; status alone can move on. */
function isClosedByReopen(retro: TRetroRecord): boolean {
  return retro.reopenedAt !== null || retro.status === 'reopened';
}

export type TMarkReopenedResult =
  | { outcome: 'marked'; retro: TRetroRecord }
  /** A reopen delivered again, or for a deal whose latest loss is already closed by a reopen. */
  | { outcome: 'already_reopened'; retro: TRetroRecord }
  /** No retro for this deal: the CRM reports reopens of deals Debrief never saw lost. */
  | { outcome: 'no_retro' };

/** Where the team retro of a retro stands: not started, or started (agenda posted, or posting). */
export interface TTeamRetroState {
  startedBySlackUserId: string | null;
  startedAt: Date | null;
  agendaTs: string | null;
  closedAt: Date | null;
}
export type TTeamRetroStart = TTeamRetroState & { claimed: boolean };

const teamRetroSelect = { teamRetroStartedBySlackUserId: true, teamRetroStartedAt: true, agendaTs: true, closedAt: true } as const;

function toTeamRetroState(row: { teamRetroStartedBySlackUserId: string | null; teamRetroStartedAt: Date | null; agendaTs: string | null; closedAt: Date | null }): TTeamRetroState {
  return { startedBySlackUserId: row.teamRetroStartedBySlackUserId, startedAt: row.teamRetroStartedAt, agendaTs: row.agendaTs, closedAt: row.closedAt };
}

export function createRetroRepository(prisma: PrismaClient, queue: TDeliveryQueue = createDeliveryQueue(prisma)) {
  async function findLatestRetroOfDeal(dealId: string): Promise<TRetroRecord | null> {
    const row = await prisma.retro.findFirst({ where: { dealId }, orderBy: { lossNumber: 'desc' }, select: retroSelect });
    return row ? toRecord(row) : null;
  }

  /** The latest retro of a CRM deal, or null when Debrief has never seen the deal lost. */
  async function findLatestForDeal(workspaceId: string, source: TLostDeal['source'], externalId: string): Promise<TRetroRecord | null> {
    const deal = await prisma.deal.findUnique({
      where: { workspaceId_source_externalId: { workspaceId, source, externalId } },
      select: { id: true },
    });
    return deal ? findLatestRetroOfDeal(deal.id) : null;
  }

  return {
    /**
     * Stores a lost deal and the retro for this loss. The same loss arriving again (a retry, a
     * double click, a second CRM) returns the existing retro; a deal reopened since its last
     * retro gets a new retro, numbered after and linked to the previous one. A new retro's
     * `deliveries` (opening its thread) are queued in the same transaction.
     */
    async recordLoss(workspaceId: string, deal: TLostDeal, channelId: string, options: { deliveries?: (retro: TRetroRecord) => TDeliveryRequest[] } = {}): Promise<TRecordLossResult> {
      const dealData = {
        name: deal.name,
        amount: deal.amount,
        currency: deal.currency,
        ownerSlackUserId: deal.owner.slackUserId ?? null,
        ownerEmail: deal.owner.email ?? null,
        ownerName: deal.owner.name ?? null,
        competitor: deal.competitor,
        crmLossReason: deal.lossReason,
        crmUrl: deal.crmUrl,
        lostAt: deal.lostAt,
        loggedBySlackUserId: deal.loggedBySlackUserId ?? null,
      };
      for (let attempt = 0; attempt < 3; attempt += 1) {
        try {
          // INSERT … ON CONFLICT DO NOTHING: a new deal in one statement (and with no retro to
          // look for); a deal seen before is read.
          const [newDeal] = await prisma.deal.createManyAndReturn({
            data: [{ workspaceId, source: deal.source, externalId: deal.externalId, ...dealData }],
            skipDuplicates: true,
            select: { id: true },
          });
          const stored =
            newDeal ??
            (await prisma.deal.findUniqueOrThrow({ where: { workspaceId_source_externalId: { workspaceId, source: deal.source, externalId: deal.externalId } }, select: { id: true } }));
          const latest = newDeal ? null : await findLatestRetroOfDeal(stored.id);
          if (latest && !isClosedByReopen(latest)) return { retro: latest, created: false };
          if (latest) await prisma.deal.update({ where: { id: stored.id }, data: dealData });
          const created = await queue.withDeliveries(
            async (tx) =>
              toRecord(
                await tx.retro.create({
                  data: { workspaceId, dealId: stored.id, channelId, lossNumber: (latest?.lossNumber ?? 0) + 1, previousRetroId: latest?.id ?? null },
                  select: retroSelect,
                }),
              ),
            options.deliveries,
          );
          return { retro: created, created: true };
        } catch (error) {
          // Another delivery of the same loss won the race: read what it stored.
          if (!isUniqueViolation(error) || attempt === 2) throw error;
        }
      }
      throw new Error('unreachable');
    },

    /**
     * A retro of the scope's workspace; null for another workspace's (as if it did not exist). The
     * retro-id methods below (and the debrief, perspective, outcome and lesson repositories) take
     * only ids found through this or findByThread.
     */
    async findById(retroId: string, scope: TWorkspaceScope): Promise<TRetroRecord | null> {
      const row = await prisma.retro.findFirst({ where: { id: retroId, ...workspaceWhere(scope) }, select: retroSelect });
      return row ? toRecord(row) : null;
    },

    /**
     * The deal a retro of the scope's workspace is about, as its debrief form shows it, in one
     * statement (findById reads the retro, its deal and its previous retro in three); null for
     * another workspace's retro, as findById.
     */
    async findDealOfRetro(retroId: string, scope: TWorkspaceScope): Promise<TRetroDealSummary | null> {
      return prisma.deal.findFirst({
        where: { retros: { some: { id: retroId, ...workspaceWhere(scope) } } },
        select: { name: true, competitor: true, ownerSlackUserId: true },
      });
    },

    /** The retro whose parent message is this thread, in the scope's workspace (a channel shared
     * between workspaces with Slack Connect has one id in both). */
    async findByThread(channelId: string, threadTs: string, scope: TWorkspaceScope): Promise<TRetroRecord | null> {
      const row = await prisma.retro.findFirst({ where: { channelId, messageTs: threadTs, ...workspaceWhere(scope) }, select: retroSelect });
      return row ? toRecord(row) : null;
    },

    async setMessages(retroId: string, messages: { messageTs?: string; promptTs?: string; permalink?: string }): Promise<void> {
      await prisma.retro.update({ where: { id: retroId }, data: messages });
    },

    findLatestForDeal,

    /**
     * Marks the latest retro of a deal reopened, once: a second delivery of the same reopen finds
     * reopenedAt set and changes nothing. Nothing is deleted; the thread and debriefs stay.
     */
    async markReopened(
      workspaceId: string,
      source: TLostDeal['source'],
      externalId: string,
      at: Date,
      options: { deliveries?: (retro: TRetroRecord) => TDeliveryRequest[] } = {},
    ): Promise<TMarkReopenedResult> {
      const latest = await findLatestForDeal(workspaceId, source, externalId);
      if (!latest) return { outcome: 'no_retro' };
      if (latest.reopenedAt !== null) return { outcome: 'already_reopened', retro: latest };
      // Conditional on reopenedAt, so of two concurrent reopens exactly one reports 'marked' (and
      // queues the `deliveries` showing it, in the same transaction).
      const { deliveries } = options;
      const { count } = await queue.withDeliveries(
        (tx) => tx.retro.updateMany({ where: { id: latest.id, reopenedAt: null }, data: { status: 'reopened', reopenedAt: at } }),
        deliveries && ((marked) => (marked.count === 1 ? deliveries(latest) : [])),
      );
      const row = await prisma.retro.findUniqueOrThrow({ where: { id: latest.id }, select: retroSelect });
      return { outcome: count === 1 ? 'marked' : 'already_reopened', retro: toRecord(row) };
    },

    /**
     * Claims the start of the team retro for one person: of two presses of "Run team retro" (a
     * double click, two managers) exactly one gets `claimed`, the other sees who started it. The
     * claim's `deliveries` (posting the agenda) are queued in the same transaction.
     */
    async claimTeamRetroStart(retroId: string, slackUserId: string, at: Date, options: { deliveries?: () => TDeliveryRequest[] } = {}): Promise<TTeamRetroStart> {
      const { deliveries } = options;
      const { count } = await queue.withDeliveries(
        (tx) => tx.retro.updateMany({ where: { id: retroId, teamRetroStartedAt: null }, data: { teamRetroStartedAt: at, teamRetroStartedBySlackUserId: slackUserId } }),
        deliveries && ((claim) => (claim.count === 1 ? deliveries() : [])),
      );
      const row = await prisma.retro.findUniqueOrThrow({ where: { id: retroId }, select: teamRetroSelect });
      return { claimed: count === 1, ...toTeamRetroState(row) };
    },

    /** Undoes a claim whose agenda could not be posted, so pressing the button again retries. */
    async releaseTeamRetroStart(retroId: string): Promise<void> {
      await prisma.retro.updateMany({ where: { id: retroId, agendaTs: null }, data: { teamRetroStartedAt: null, teamRetroStartedBySlackUserId: null } });
    },

    async setAgendaTs(retroId: string, agendaTs: string): Promise<void> {
      await prisma.retro.update({ where: { id: retroId }, data: { agendaTs } });
    },

    async findTeamRetroState(retroId: string): Promise<TTeamRetroState | null> {
      const row = await prisma.retro.findUnique({ where: { id: retroId }, select: teamRetroSelect });
      return row ? toTeamRetroState(row) : null;
    },

    async markDebriefed(retroId: string, at: Date): Promise<TRetroRecord> {
      // A retro the team already reviewed keeps that status when the rep edits the debrief.
      await prisma.retro.updateMany({ where: { id: retroId, status: { in: ['open', 'reopened'] } }, data: { status: 'debriefed' } });
      await prisma.retro.updateMany({ where: { id: retroId, debriefedAt: null }, data: { debriefedAt: at } });
      const row = await prisma.retro.findUniqueOrThrow({ where: { id: retroId }, select: retroSelect });
      return toRecord(row);
    },
  };
}
export type TRetroRepository = ReturnType<typeof createRetroRepository>;
