import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/generated/prisma/client';

// A small corpus of past losses whose right answers are known, for search and App Home tests.
// Rows are written straight through Prisma: the database's triggers must index them by themselves.

export const CORPUS_CHANNEL = 'C0LOSSES01';
export const CORPUS_PRIVATE_CHANNEL = 'G0SECRET01';
export const RITA = 'U0RITA0001';
export const SAM = 'U0SAM00001';
export const ANON = 'U0ANON0001';

export interface TCorpusLoss {
  key: string;
  name: string;
  competitor?: string;
  amount?: string;
  lostAt: string;
  owner: string;
  channelId?: string;
  status?: 'open' | 'debriefed' | 'reviewed' | 'reopened';
  debrief?: {
    primaryReason: string;
    secondaryReasons?: string[];
    winnerName?: string;
    whyWinnerWon?: string;
    buyerWords?: string;
    wentWrong?: string;
    anonymous?: boolean;
  };
  agreedReason?: string;
  replies?: string[];
  perspective?: { author: string; saw: string; wouldChange: string; anonymous: boolean };
  lessons?: Array<{ text: string; shareWithNewReps?: boolean }>;
  actionItems?: Array<{ text: string; owner: string; dueOn: string; done?: boolean }>;
}

export const CORPUS: TCorpusLoss[] = [
  {
    key: 'acme',
    name: 'Acme Corp renewal',
    competitor: 'Globex',
    amount: '48000',
    lostAt: '2026-10-01',
    owner: RITA,
    status: 'reviewed',
    debrief: {
      primaryReason: 'price_budget',
      secondaryReasons: ['product_gap'],
      winnerName: 'Globex',
      whyWinnerWon: 'Bundled onboarding at no extra cost.',
      buyerWords: 'Globex gave us the same thing for 30% less.',
      wentWrong: 'I never met the economic buyer.',
    },
    lessons: [{ text: 'Bring the economic buyer in before pricing comes up.', shareWithNewReps: true }],
    actionItems: [{ text: 'Build an onboarding bundle offer', owner: RITA, dueOn: '2026-12-01' }],
  },
  {
    key: 'initech',
    name: 'Initech expansion',
    competitor: 'Globex Inc',
    amount: '12000',
    lostAt: '2026-06-15',
    owner: SAM,
    status: 'debriefed',
    debrief: {
      primaryReason: 'product_gap',
      winnerName: 'Globex Inc',
      whyWinnerWon: 'They had SSO on the starter plan.',
      wentWrong: 'We demoed the enterprise plan to a starter-plan buyer.',
    },
    replies: ['Pricing was fine, <@U0RITA0001>: SSO killed it. See <https://wiki.example.com/sso|the SSO roadmap>.'],
    lessons: [{ text: 'Ask about SSO in discovery.' }],
  },
  {
    key: 'umbrella',
    name: 'Umbrella platform',
    competitor: 'Hooli',
    amount: '250000',
    lostAt: '2026-09-10',
    owner: RITA,
    status: 'debriefed',
    debrief: { primaryReason: 'timing_no_decision', buyerWords: 'Budget is frozen until next fiscal year.', wentWrong: 'We found out late.' },
    perspective: { author: ANON, saw: 'The champion left in August.', wouldChange: 'Multi-thread earlier.', anonymous: true },
    lessons: [{ text: 'Multi-thread before the champion moves on.', shareWithNewReps: true }],
  },
  {
    key: 'stark',
    name: 'Stark Industries pilot',
    amount: '5000',
    lostAt: '2025-12-01',
    owner: SAM,
    status: 'open',
    debrief: { primaryReason: 'price_budget', wentWrong: 'The pilot never had a budget line.' },
  },
  {
    key: 'vandelay',
    name: 'Vandelay Imports',
    competitor: 'Hooli',
    amount: '30000',
    lostAt: '2026-10-20',
    owner: SAM,
    status: 'open',
  },
  {
    key: 'wayne',
    name: 'Wayne Enterprises',
    competitor: 'Globex',
    amount: '90000',
    lostAt: '2026-11-01',
    owner: RITA,
    channelId: CORPUS_PRIVATE_CHANNEL,
    status: 'debriefed',
    debrief: { primaryReason: 'price_budget', buyerWords: 'Your pricing is twice what Globex asks.', winnerName: 'Globex' },
    lessons: [{ text: 'Secret pricing lesson from the board deal.', shareWithNewReps: true }],
  },
];

/** Writes the corpus into a workspace; returns the retro id of each loss by key. */
export async function seedLossCorpus(prisma: PrismaClient, workspaceId: string, losses: TCorpusLoss[] = CORPUS): Promise<Record<string, string>> {
  const retroIds: Record<string, string> = {};
  for (const [index, loss] of losses.entries()) {
    const deal = await prisma.deal.create({
      data: {
        workspaceId,
        source: 'manual',
        externalId: `${loss.key}-${randomUUID()}`,
        name: loss.name,
        amount: loss.amount ?? null,
        currency: loss.amount ? 'USD' : null,
        ownerSlackUserId: loss.owner,
        competitor: loss.competitor ?? null,
        lostAt: new Date(`${loss.lostAt}T12:00:00Z`),
      },
      select: { id: true },
    });
    const channelId = loss.channelId ?? CORPUS_CHANNEL;
    const messageTs = `1760000000.${String(index).padStart(6, '0')}${randomUUID().slice(0, 4).replace(/\D/g, '1')}`;
    const retro = await prisma.retro.create({
      data: {
        workspaceId,
        dealId: deal.id,
        channelId,
        messageTs,
        status: loss.status ?? 'open',
        permalink: `https://test.slack.com/archives/${channelId}/p${messageTs.replace('.', '')}`,
      },
      select: { id: true },
    });
    retroIds[loss.key] = retro.id;
    if (loss.debrief) {
      await prisma.debrief.create({
        data: {
          retroId: retro.id,
          authorSlackUserId: loss.owner,
          primaryReason: loss.debrief.primaryReason,
          secondaryReasons: loss.debrief.secondaryReasons ?? [],
          outcome: loss.debrief.winnerName ? 'competitor' : 'no_decision',
          winnerName: loss.debrief.winnerName ?? null,
          whyWinnerWon: loss.debrief.whyWinnerWon ?? null,
          buyerWords: loss.debrief.buyerWords ?? null,
          wentWrong: loss.debrief.wentWrong ?? null,
          anonymous: loss.debrief.anonymous ?? false,
        },
      });
    }
    if (loss.agreedReason) {
      await prisma.retroOutcome.create({
        data: { retroId: retro.id, primaryReason: loss.agreedReason, closedBySlackUserId: loss.owner, closedAt: new Date(`${loss.lostAt}T18:00:00Z`) },
      });
    }
    for (const [replyIndex, text] of (loss.replies ?? []).entries()) {
      await prisma.threadReply.create({
        data: { retroId: retro.id, messageTs: `1760000100.${String(replyIndex).padStart(6, '0')}`, authorSlackUserId: SAM, text, postedAt: new Date(`${loss.lostAt}T13:00:00Z`) },
      });
    }
    if (loss.perspective) {
      await prisma.perspective.create({
        data: {
          retroId: retro.id,
          authorSlackUserId: loss.perspective.author,
          role: 'sales_engineer',
          saw: loss.perspective.saw,
          wouldChange: loss.perspective.wouldChange,
          anonymous: loss.perspective.anonymous,
        },
      });
    }
    for (const [position, lesson] of (loss.lessons ?? []).entries()) {
      await prisma.lesson.create({
        data: {
          retroId: retro.id,
          text: lesson.text,
          shareWithNewReps: lesson.shareWithNewReps ?? false,
          source: 'outcome',
          position,
          authorSlackUserId: loss.owner,
          createdBySlackUserId: loss.owner,
        },
      });
    }
    for (const [position, item] of (loss.actionItems ?? []).entries()) {
      await prisma.actionItem.create({
        data: {
          retroId: retro.id,
          text: item.text,
          ownerSlackUserId: item.owner,
          dueOn: new Date(`${item.dueOn}T00:00:00Z`),
          position,
          doneAt: item.done ? new Date() : null,
          createdBySlackUserId: loss.owner,
        },
      });
    }
  }
  return retroIds;
}
