import {
  LOSS_REASONS,
  OUTCOMES,
  PRICE_TO_VALUE,
  labelOf,
  validateDebrief,
  type TDebriefAnswers,
  type TOutcome,
} from '../../../src/domain/debrief';

const TODAY = '2026-11-20';

function answers(overrides: Partial<TDebriefAnswers> = {}): TDebriefAnswers {
  return {
    primaryReason: 'price_budget',
    secondaryReasons: ['product_gap'],
    outcome: 'competitor',
    winnerName: 'Globex',
    whyWinnerWon: 'Bundled onboarding.',
    priceToValue: 'ours_worse',
    buyerWords: 'Globex gave us the same for less.',
    wentWell: 'Technical validation.',
    wentWrong: 'Never met the economic buyer.',
    featureGaps: 'SSO',
    revisitOn: '2027-05-01',
    anonymous: false,
    ...overrides,
  };
}

describe('validateDebrief', () => {
  it('accepts a complete debrief', () => {
    expect(validateDebrief(answers(), TODAY)).toEqual({});
  });

  it('accepts the least a debrief needs: a reason, an outcome and one part of the story', () => {
    const minimal = answers({
      secondaryReasons: [],
      outcome: 'unknown',
      winnerName: null,
      whyWinnerWon: null,
      priceToValue: null,
      buyerWords: null,
      wentWell: null,
      wentWrong: 'Too slow to follow up.',
      featureGaps: null,
      revisitOn: null,
    });
    expect(validateDebrief(minimal, TODAY)).toEqual({});
  });

  it('keeps the primary reason out of the other reasons', () => {
    expect(validateDebrief(answers({ secondaryReasons: ['product_gap', 'price_budget'] }), TODAY)).toEqual({
      secondaryReasons: 'Leave out the primary reason here; pick only the other reasons.',
    });
  });

  it('asks for the winner when another vendor won', () => {
    expect(validateDebrief(answers({ outcome: 'competitor', winnerName: null }), TODAY)).toEqual({
      winnerName: 'Name the vendor who won, so the team can learn how we lose to them.',
    });
  });

  it.each<TOutcome>(['no_decision', 'in_house'])('refuses a winner when the outcome is %s', (outcome) => {
    expect(validateDebrief(answers({ outcome, winnerName: 'Globex' }), TODAY)).toEqual({
      winnerName: 'No vendor won, so leave this empty (or change who won).',
    });
    expect(validateDebrief(answers({ outcome, winnerName: null }), TODAY)).toEqual({});
  });

  it('lets a rep who does not know the outcome name a suspected vendor', () => {
    expect(validateDebrief(answers({ outcome: 'unknown', winnerName: 'Globex' }), TODAY)).toEqual({});
  });

  it.each([
    ['2026-11-19', 'Pick a date after today to get back in touch.'],
    ['2026-11-20', 'Pick a date after today to get back in touch.'],
    ['2026-11-21', undefined],
  ])('checks the revisit date %s is after today', (revisitOn, error) => {
    expect(validateDebrief(answers({ revisitOn }), TODAY).revisitOn).toBe(error);
  });

  it('asks for at least one part of the story, on the "do differently" field', () => {
    const noStory = answers({ whyWinnerWon: null, buyerWords: null, wentWell: null, wentWrong: null });
    expect(validateDebrief(noStory, TODAY)).toEqual({
      wentWrong: 'Tell the team at least one thing: what went wrong or what you would do differently.',
    });
  });

  it('does not count feature gaps alone as the story', () => {
    const onlyGaps = answers({ whyWinnerWon: null, buyerWords: null, wentWell: null, wentWrong: null, featureGaps: 'SSO' });
    expect(Object.keys(validateDebrief(onlyGaps, TODAY))).toEqual(['wentWrong']);
  });

  it.each(['whyWinnerWon', 'buyerWords', 'wentWell', 'wentWrong'] as const)('accepts %s alone as the story', (field) => {
    const story = answers({ whyWinnerWon: null, buyerWords: null, wentWell: null, wentWrong: null, [field]: 'Something real.' });
    expect(validateDebrief(story, TODAY)).toEqual({});
  });

  it('reports every problem at once, each on its own field', () => {
    const errors = validateDebrief(
      answers({
        secondaryReasons: ['price_budget'],
        outcome: 'competitor',
        winnerName: null,
        revisitOn: TODAY,
        whyWinnerWon: null,
        buyerWords: null,
        wentWell: null,
        wentWrong: null,
      }),
      TODAY,
    );
    expect(Object.keys(errors).sort()).toEqual(['revisitOn', 'secondaryReasons', 'wentWrong', 'winnerName']);
  });
});

describe('labelOf', () => {
  it('finds the label of a value, and falls back to the value itself', () => {
    expect(labelOf(LOSS_REASONS, 'procurement_legal_security')).toBe('Procurement, legal or security');
    expect(labelOf(OUTCOMES, 'no_decision')).toBe('No decision: they stayed as they were');
    expect(labelOf(PRICE_TO_VALUE, 'gone')).toBe('gone');
  });
});

describe('the choice lists', () => {
  it.each([
    ['LOSS_REASONS', LOSS_REASONS],
    ['OUTCOMES', OUTCOMES],
    ['PRICE_TO_VALUE', PRICE_TO_VALUE],
  ] as const)('%s has unique values and labels short enough for a Slack option', (_name, choices) => {
    const values = choices.map((choice) => choice.value);
    expect(new Set(values).size).toBe(values.length);
    for (const choice of choices) expect(choice.label.length).toBeLessThanOrEqual(75);
  });
});
