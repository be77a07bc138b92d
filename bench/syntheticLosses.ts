import type { TLossReason } from '../src/domain/debrief';

// Synthetic lost deals that read like real ones: a few thousand accounts, competitors whose
// frequency falls off the way real markets do (a couple win most deals), reasons skewed toward
// price and product gaps, and debriefs, thread replies and lessons written from templates with a
// few hundred slot values, so common words ("pricing") hit many documents and rare ones few.
// Seeded, so every run loads the same data.

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ac', 'me', 'glo', 'bex', 'ini', 'tech', 'um', 'brel', 'la', 'stark', 'wa', 'yne', 'ho', 'oli', 'vand', 'el', 'ay', 'cy', 'ber', 'dyne', 'tyr', 'ell', 'so', 'lar', 'nor', 'vak', 'qua', 'ntum', 'zen', 'ith', 'pi', 'xel', 'ore', 'gon', 'vis', 'ta', 'lum', 'en', 'kor', 'ri'];
const COMPANY_SUFFIXES = ['Corp', 'Inc', 'Systems', 'Labs', 'Group', 'Health', 'Logistics', 'Bank', 'Retail', 'Foods', 'Energy', 'Media', 'Partners', 'Insurance', 'Motors'];
const DEAL_KINDS = ['renewal', 'expansion', 'platform deal', 'pilot', 'enterprise rollout', 'new logo', 'upsell', 'migration', 'multi-year', 'regional rollout'];
const COMPETITORS = ['Globex', 'Hooli', 'Initrode', 'Soylent', 'Massive Dynamic', 'Cyberdyne', 'Tyrell', 'Wonka Software', 'Oscorp', 'Pied Piper', 'Aperture', 'Nakatomi', 'Gringotts Cloud', 'Monarch', 'Virtucon', 'Umbrella Analytics', 'Dunder Data', 'Prestige Worldwide', 'Vehement', 'Blue Sun'];
const FEATURES = ['SSO', 'SAML', 'audit logs', 'the mobile app', 'offline mode', 'the Salesforce integration', 'HIPAA compliance', 'data residency in the EU', 'role-based access', 'custom reporting', 'the API rate limits', 'bulk import', 'a sandbox environment', 'SOC 2 Type II', 'the workflow builder', 'multi-currency invoicing', 'real-time dashboards', 'a self-hosted option', 'usage-based pricing', 'the Slack integration'];
const PEOPLE = ['CFO', 'CIO', 'VP of Sales', 'head of procurement', 'IT director', 'champion', 'economic buyer', 'security team', 'legal team', 'COO', 'project sponsor', 'VP of Engineering'];
const ADJECTIVES = ['cheaper', 'simpler', 'faster to deploy', 'already in place', 'bundled with their suite', 'more flexible', 'easier to use', 'better supported', 'more mature', 'more secure'];
const TIMES = ['next quarter', 'next fiscal year', 'after the reorg', 'until the budget review', 'after the merger closes', 'in the spring'];

const BUYER_QUOTES = [
  '{competitor} gave us the same thing for {percent}% less.',
  'Honestly, {competitor} was {adjective} and our {person} liked them.',
  'We could not get {feature} past our {person}.',
  'The budget is frozen {time}; we will revisit then.',
  'Your pricing is hard to explain to our {person}.',
  'We needed {feature} on day one and you could not commit to a date.',
  '{competitor} already had {feature}, so it was an easy call.',
  'Our {person} left and nobody else owned the project.',
  'Implementation looked risky with our current team.',
  'Procurement needed three more months for the security review.',
];
const WHY_WINNER_WON = [
  'They bundled {feature} at no extra cost.',
  '{competitor} was {adjective} and had a reference customer in our industry.',
  'Their executive sponsor met our {person} twice.',
  'They offered a {percent}% discount for a three-year term.',
  'They were already the incumbent for {feature}.',
];
const WENT_WRONG = [
  'I never met the {person}.',
  'We were single-threaded on the {person}.',
  'We demoed {feature} too late in the cycle.',
  'Pricing came up before we had shown value.',
  'We did not qualify the budget early enough.',
  'The security review started after the decision was made.',
  'We let the pilot run without success criteria.',
  'Our proposal arrived a week after {competitor} had theirs in.',
];
const WENT_WELL = [
  'Strong technical validation with the {person}.',
  'The pilot hit every success metric.',
  'Great rapport with the {person}.',
  'Our demo of {feature} landed well.',
];
const REPLIES = [
  'Same thing happened on the {account} deal last quarter.',
  'We should loop in product about {feature}.',
  '{competitor} has been discounting hard this year.',
  'Did anyone talk to the {person} directly?',
  'Pricing page needs a comparison with {competitor}.',
  'I can share the battlecard for {competitor}.',
  'This is the third loss on {feature} this month.',
  'Worth a win-back call {time}.',
];
const LESSONS = [
  'Get to the {person} before pricing comes up.',
  'Ask about {feature} in discovery, not after the demo.',
  'Multi-thread early: at least three contacts by stage two.',
  'Bring the security questionnaire forward when {feature} is in scope.',
  'Against {competitor}, lead with total cost of ownership, not list price.',
  'Agree on pilot success criteria in writing.',
];

export interface TSyntheticLoss {
  dealName: string;
  competitor: string | null;
  amount: string;
  lostAt: Date;
  ownerSlackUserId: string;
  primaryReason: TLossReason;
  secondaryReasons: TLossReason[];
  winnerName: string | null;
  whyWinnerWon: string | null;
  buyerWords: string;
  wentWell: string | null;
  wentWrong: string;
  replies: string[];
  lessons: string[];
}

/** Reasons in the proportions sales teams report: price and product gaps lead. */
const REASON_WEIGHTS: Array<[TLossReason, number]> = [
  ['price_budget', 24],
  ['product_gap', 20],
  ['competitor_strength', 14],
  ['timing_no_decision', 12],
  ['relationship_champion', 9],
  ['sales_execution', 8],
  ['procurement_legal_security', 6],
  ['risk_implementation', 5],
  ['other', 2],
];

export function createLossGenerator(seed = 42, options: { accounts?: number; reps?: number; now?: Date } = {}) {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  /** Zipf-like: the first items come up far more often. */
  const pickSkewed = <T>(items: readonly T[]): T => items[Math.min(items.length - 1, Math.floor(items.length * random() ** 2.5))] as T;
  const weighted = (): TLossReason => {
    const total = REASON_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = random() * total;
    for (const [reason, weight] of REASON_WEIGHTS) {
      roll -= weight;
      if (roll < 0) return reason;
    }
    return 'other';
  };
  const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const accounts = Array.from({ length: options.accounts ?? 4000 }, () => {
    const syllables = 2 + Math.floor(random() * 2);
    const name = capitalised(Array.from({ length: syllables }, () => pick(SYLLABLES)).join(''));
    return `${name} ${pick(COMPANY_SUFFIXES)}`;
  });
  const reps = Array.from({ length: options.reps ?? 60 }, (_, index) => `U0REP${String(index).padStart(5, '0')}`);
  const now = (options.now ?? new Date('2026-11-23T12:00:00Z')).getTime();
  const threeYears = 3 * 365 * 86_400_000;

  function fill(template: string, slots: { account: string; competitor: string }): string {
    return template
      .replace(/\{competitor\}/g, slots.competitor)
      .replace(/\{account\}/g, slots.account)
      .replace(/\{feature\}/g, () => pick(FEATURES))
      .replace(/\{person\}/g, () => pick(PEOPLE))
      .replace(/\{adjective\}/g, () => pick(ADJECTIVES))
      .replace(/\{time\}/g, () => pick(TIMES))
      .replace(/\{percent\}/g, () => String(10 + Math.floor(random() * 40)));
  }

  return function next(): TSyntheticLoss {
    const account = pickSkewed(accounts);
    const hasCompetitor = random() < 0.75;
    const competitor = pickSkewed(COMPETITORS);
    const slots = { account, competitor };
    const primaryReason = weighted();
    const secondary = random() < 0.4 ? [weighted()].filter((reason) => reason !== primaryReason) : [];
    return {
      dealName: `${account} ${pick(DEAL_KINDS)}`,
      competitor: hasCompetitor ? competitor : null,
      amount: String(Math.round(1000 * Math.exp(random() * 6.5))),
      lostAt: new Date(now - Math.floor(random() ** 0.7 * threeYears)),
      ownerSlackUserId: pick(reps),
      primaryReason,
      secondaryReasons: secondary,
      winnerName: hasCompetitor ? competitor : null,
      whyWinnerWon: hasCompetitor ? fill(pick(WHY_WINNER_WON), slots) : null,
      buyerWords: fill(pick(BUYER_QUOTES), slots),
      wentWell: random() < 0.6 ? fill(pick(WENT_WELL), slots) : null,
      wentWrong: `${fill(pick(WENT_WRONG), slots)} ${random() < 0.5 ? fill(pick(WENT_WRONG), slots) : ''}`.trim(),
      replies: Array.from({ length: Math.floor(random() * 4) }, () => fill(pick(REPLIES), slots)),
      lessons: Array.from({ length: Math.floor(random() * 3) }, () => fill(pick(LESSONS), slots)),
    };
  };
}
