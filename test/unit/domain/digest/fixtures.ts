import { periodOfLabel, type TDigestPeriod } from '../../../../src/domain/digest/period';
import type { TDigestDebrief, TDigestInput, TDigestLoss } from '../../../../src/domain/digest/types';

// Typed factories for the digest builder's input, with overrides.

export const TZ = 'Europe/Berlin';
export const PERIOD: TDigestPeriod = periodOfLabel('2026-W47', TZ)!; // Mon Nov 16 – Sun Nov 22, 2026
/** Wednesday of the period, noon in Berlin. */
export const IN_PERIOD = new Date('2026-11-18T11:00:00Z');
/** Two weeks before the period. */
export const BEFORE_PERIOD = new Date('2026-11-04T11:00:00Z');

let counter = 0;

export function debrief(overrides: Partial<TDigestDebrief> = {}): TDigestDebrief {
  return {
    authorSlackUserId: 'U0REP0001',
    primaryReason: 'price_budget',
    outcome: 'competitor',
    winnerName: 'Globex',
    whyWinnerWon: 'Bundled onboarding at no extra cost.',
    priceToValue: 'ours_worse',
    anonymous: false,
    ...overrides,
  };
}

export function loss(overrides: Partial<TDigestLoss> = {}): TDigestLoss {
  counter += 1;
  return {
    retroId: `retro-${counter}`,
    dealName: `Deal ${counter}`,
    threadUrl: `https://test.slack.com/archives/C0RETROS01/p17000000000${counter}`,
    anonymousSlackUserIds: [],
    amount: '10000.00',
    currency: 'USD',
    ownerSlackUserId: 'U0REP0001',
    ownerName: 'Robin Rep',
    openedAt: IN_PERIOD,
    status: 'debriefed',
    competitor: 'Globex',
    agreedReason: null,
    debrief: debrief(),
    ...overrides,
  };
}

export function input(overrides: Partial<TDigestInput> = {}): TDigestInput {
  return {
    period: PERIOD,
    losses: [],
    lessons: [],
    openActionItems: [],
    waitingRetros: [],
    startHereCandidates: [],
    displayNames: { U0REP0001: 'Robin Rep', U0SE00001: 'Sam Engineer' },
    today: '2026-11-22',
    ...overrides,
  };
}
