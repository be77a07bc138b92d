import type { TValidDigestSettings } from '../domain/digest/settings';
import type { PrismaClient } from '../generated/prisma/client';
import type { DigestRunState } from '../generated/prisma/enums';
import { isUniqueViolation } from './errors';

// Digest settings and digest runs. A run is the exactly-once record of one digest: claimed (a
// unique row per workspace, channel and week) before anything is posted, with a lease that another
// instance may take over once it expires; every write is conditional on the claim's token.

export interface TStoredDigestSettings extends TValidDigestSettings {
  updatedBySlackUserId: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface TDigestRun {
  id: string;
  workspaceId: string;
  channelId: string;
  period: string;
  state: DigestRunState;
  claimToken: string;
  leaseExpiresAt: Date;
  attempts: number;
  retryAt: Date | null;
  scheduledFor: Date | null;
  content: unknown;
  messageTs: string | null;
  repliesPosted: number;
  chartFileId: string | null;
  chartError: string | null;
  lastError: string | null;
  postedAt: Date | null;
  createdAt: Date;
}

const runSelect = {
  id: true,
  workspaceId: true,
  channelId: true,
  period: true,
  state: true,
  claimToken: true,
  leaseExpiresAt: true,
  attempts: true,
  retryAt: true,
  scheduledFor: true,
  content: true,
  messageTs: true,
  repliesPosted: true,
  chartFileId: true,
  chartError: true,
  lastError: true,
  postedAt: true,
  createdAt: true,
} as const;

const settingsSelect = {
  channelId: true,
  weekday: true,
  hour: true,
  timeZone: true,
  enabled: true,
  updatedBySlackUserId: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface TDigestWorkspace {
  id: string;
  slackTeamId: string;
  /** The workspace's own zone; null follows DEFAULT_TIMEZONE. */
  timeZone: string | null;
  retroChannelId: string | null;
  createdAt: Date;
  settings: TStoredDigestSettings | null;
}

const digestWorkspaceSelect = {
  id: true,
  slackTeamId: true,
  timeZone: true,
  retroChannelId: true,
  createdAt: true,
  digestSettings: { select: settingsSelect },
} as const;

function toDigestWorkspace({ digestSettings, ...workspace }: Omit<TDigestWorkspace, 'settings'> & { digestSettings: TStoredDigestSettings | null }): TDigestWorkspace {
  return { ...workspace, settings: digestSettings };
}

export type TClaimResult =
  /** This caller holds the run; `resumed` when an earlier attempt may have posted part of it. */
  | { outcome: 'claimed'; run: TDigestRun; resumed: boolean }
  | { outcome: 'posted'; run: TDigestRun }
  /** Another instance holds a live lease, or a failed run waits for its retry time or gave up. */
  | { outcome: 'busy'; run: TDigestRun };

/** Raised when a run's lease was taken over: the caller must stop posting at once. */
export class DigestClaimLostError extends Error {
  constructor(readonly runId: string) {
    super(`Digest run ${runId} was taken over by another instance`);
    this.name = 'DigestClaimLostError';
  }
}

export function createDigestRepository(prisma: PrismaClient) {
  async function updateHeld(run: { id: string; claimToken: string }, data: Parameters<typeof prisma.digestRun.updateMany>[0]['data']): Promise<void> {
    const { count } = await prisma.digestRun.updateMany({ where: { id: run.id, claimToken: run.claimToken, state: 'claimed' }, data });
    if (count !== 1) throw new DigestClaimLostError(run.id);
  }

  return {
    async findSettings(workspaceId: string): Promise<TStoredDigestSettings | null> {
      return prisma.digestSettings.findUnique({ where: { workspaceId }, select: settingsSelect });
    },

    async saveSettings(workspaceId: string, settings: TValidDigestSettings, updatedBySlackUserId: string): Promise<TStoredDigestSettings> {
      return prisma.digestSettings.upsert({
        where: { workspaceId },
        create: { workspaceId, ...settings, updatedBySlackUserId },
        update: { ...settings, updatedBySlackUserId },
        select: settingsSelect,
      });
    },

    /** Installed workspaces with their digest settings (null: the defaults apply), for the scheduler. */
    async listWorkspaces(): Promise<TDigestWorkspace[]> {
      const rows = await prisma.workspace.findMany({ where: { uninstalledAt: null }, orderBy: { createdAt: 'asc' }, select: digestWorkspaceSelect });
      return rows.map(toDigestWorkspace);
    },

    async findWorkspace(workspaceId: string): Promise<TDigestWorkspace | null> {
      const row = await prisma.workspace.findUnique({ where: { id: workspaceId }, select: digestWorkspaceSelect });
      return row ? toDigestWorkspace(row) : null;
    },

    /** The run that already posted this week's digest for the workspace, in whichever channel. */
    async findPosted(workspaceId: string, period: string): Promise<TDigestRun | null> {
      return prisma.digestRun.findFirst({ where: { workspaceId, period, state: 'posted' }, select: runSelect });
    },

    async find(workspaceId: string, channelId: string, period: string): Promise<TDigestRun | null> {
      return prisma.digestRun.findUnique({ where: { workspaceId_channelId_period: { workspaceId, channelId, period } }, select: runSelect });
    },

    /**
     * Claims the digest of (workspace, channel, period): a new row, or an existing one whose lease
     * expired (the instance holding it died) or whose failure is due for a retry. Of any number of
     * concurrent callers exactly one gets 'claimed'.
     */
    async claim(input: {
      workspaceId: string;
      channelId: string;
      period: string;
      claimToken: string;
      now: Date;
      leaseMs: number;
      scheduledFor: Date | null;
    }): Promise<TClaimResult> {
      const leaseExpiresAt = new Date(input.now.getTime() + input.leaseMs);
      const key = { workspaceId: input.workspaceId, channelId: input.channelId, period: input.period };
      try {
        const run = await prisma.digestRun.create({
          data: { ...key, claimToken: input.claimToken, leaseExpiresAt, scheduledFor: input.scheduledFor },
          select: runSelect,
        });
        return { outcome: 'claimed', run, resumed: false };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      const { count } = await prisma.digestRun.updateMany({
        where: {
          ...key,
          OR: [
            { state: 'claimed', leaseExpiresAt: { lte: input.now } },
            { state: 'failed', retryAt: { lte: input.now } },
          ],
        },
        data: { state: 'claimed', claimToken: input.claimToken, leaseExpiresAt, retryAt: null, attempts: { increment: 1 } },
      });
      const run = await prisma.digestRun.findUniqueOrThrow({ where: { workspaceId_channelId_period: key }, select: runSelect });
      if (count === 1 && run.claimToken === input.claimToken) return { outcome: 'claimed', run, resumed: true };
      return run.state === 'posted' ? { outcome: 'posted', run } : { outcome: 'busy', run };
    },

    /** Keeps the built messages, so that a resumed run posts the same digest. */
    async saveContent(run: TDigestRun, content: object, now: Date, leaseMs: number): Promise<void> {
      await updateHeld(run, { content, leaseExpiresAt: new Date(now.getTime() + leaseMs) });
    },

    async recordParent(run: TDigestRun, messageTs: string, now: Date, leaseMs: number): Promise<void> {
      await updateHeld(run, { messageTs, leaseExpiresAt: new Date(now.getTime() + leaseMs) });
    },

    async recordReplies(run: TDigestRun, repliesPosted: number, now: Date, leaseMs: number): Promise<void> {
      await updateHeld(run, { repliesPosted, leaseExpiresAt: new Date(now.getTime() + leaseMs) });
    },

    async recordChart(run: TDigestRun, chart: { fileId: string } | { error: string }, now: Date, leaseMs: number): Promise<void> {
      await updateHeld(run, {
        ...('fileId' in chart ? { chartFileId: chart.fileId, chartError: null } : { chartError: chart.error.slice(0, 500) }),
        leaseExpiresAt: new Date(now.getTime() + leaseMs),
      });
    },

    async markPosted(run: TDigestRun, now: Date): Promise<void> {
      await updateHeld(run, { state: 'posted', postedAt: now, lastError: null });
    },

    /** Records a failed attempt; retryAt null means the run gave up. */
    async markFailed(run: TDigestRun, error: string, retryAt: Date | null): Promise<void> {
      await updateHeld(run, { state: 'failed', lastError: error.slice(0, 1000), retryAt });
    },
  };
}
export type TDigestRepository = ReturnType<typeof createDigestRepository>;
