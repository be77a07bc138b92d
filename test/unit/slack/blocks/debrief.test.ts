import type { TDebriefAnswers } from '../../../../src/domain/debrief';
import { buildDebriefModal } from '../../../../src/slack/blocks/debriefModal';
import { buildDebriefSummary } from '../../../../src/slack/blocks/debriefSummary';
import { ANONYMOUS_OPTION_VALUE, CALLBACKS, DEBRIEF_INPUTS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts, plainTexts } from '../../../helpers/blockKitLimits';

const answers = (overrides: Partial<TDebriefAnswers> = {}): TDebriefAnswers => ({
  primaryReason: 'price_budget',
  secondaryReasons: ['product_gap'],
  outcome: 'competitor',
  winnerName: 'Globex',
  whyWinnerWon: 'Cheaper for the same core features',
  priceToValue: 'ours_worse',
  buyerWords: 'Your tool is great but we cannot justify the price',
  wentWell: 'Strong demo',
  wentWrong: 'Engaged procurement too late',
  featureGaps: 'SSO on the basic plan',
  revisitOn: '2027-03-01',
  anonymous: false,
  ...overrides,
});

function blockIds(view: { blocks: Array<{ block_id?: string }> }): string[] {
  return view.blocks.map((block) => block.block_id).filter((id): id is string => id !== undefined);
}

describe('buildDebriefModal', () => {
  it('asks every question of the debrief, in open words, within Slack limits', () => {
    const view = buildDebriefModal({ retroId: 'r1', dealName: 'Acme', knownCompetitor: null, existing: null });
    expect(view.callback_id).toBe(CALLBACKS.debriefModal);
    for (const input of Object.values(DEBRIEF_INPUTS)) expect(blockIds(view)).toContain(input.block);
    const labels = plainTexts(view).join('\n');
    // Open questions, not leading ones: nothing presumes the answer ("Was it the price?").
    expect(labels).not.toMatch(/\b(was it|did you lose because|wasn't it)\b/i);
    assertWithinSlackLimits(view);
  });

  it('pre-fills the winner the CRM knew on a first debrief', () => {
    const view = buildDebriefModal({ retroId: 'r1', dealName: 'Acme', knownCompetitor: 'Globex', existing: null });
    expect(JSON.stringify(view.blocks)).toContain('"initial_value":"Globex"');
  });

  it('pre-fills every earlier answer when the owner edits the debrief', () => {
    const existing = answers();
    const serialised = JSON.stringify(buildDebriefModal({ retroId: 'r1', dealName: 'Acme', knownCompetitor: 'Initech', existing }).blocks);
    expect(serialised).toContain('"initial_value":"Globex"');
    expect(serialised).toContain(existing.buyerWords as string);
    expect(serialised).toContain(existing.wentWrong as string);
    expect(serialised).toContain('"initial_date":"2027-03-01"');
    expect(serialised).toContain('"value":"price_budget"');
  });

  it('offers to keep the name out of digests, ticked only when the owner chose it before', () => {
    const anonymityInput = (existing: TDebriefAnswers | null) =>
      buildDebriefModal({ retroId: 'r1', dealName: 'Acme', knownCompetitor: null, existing }).blocks.find(
        (block) => block.block_id === DEBRIEF_INPUTS.anonymous.block,
      ) as { optional?: boolean; element: { type: string; options: Array<{ value: string }>; initial_options?: unknown[] } };
    const fresh = anonymityInput(null);
    expect(fresh.optional).toBe(true);
    expect(fresh.element.type).toBe('checkboxes');
    expect(fresh.element.options.map((choice) => choice.value)).toEqual([ANONYMOUS_OPTION_VALUE]);
    expect(fresh.element.initial_options).toBeUndefined();
    expect(JSON.stringify(fresh)).toContain("Don't show my name in digests");
    expect(anonymityInput(answers({ anonymous: false })).element.initial_options).toBeUndefined();
    expect(anonymityInput(answers({ anonymous: true })).element.initial_options).toEqual(fresh.element.options);
  });

  it('keeps the retro id for the submission and stays in limits with a very long deal name', () => {
    const view = buildDebriefModal({ retroId: 'r-42', dealName: 'A'.repeat(1000), knownCompetitor: null, existing: null });
    expect(view.private_metadata).toContain('r-42');
    assertWithinSlackLimits(view);
  });
});

describe('buildDebriefSummary', () => {
  it('keeps the buyer’s words apart from the rep’s own view', () => {
    const summary = buildDebriefSummary({ retroId: 'r1', dealName: 'Acme', authorSlackUserId: 'U0REP', answers: answers(), revision: 1 });
    const texts = mrkdwnTexts(summary);
    const buyerSection = texts.find((text) => text.includes("In the buyer's words"));
    expect(buyerSection).toContain('we cannot justify the price');
    expect(buyerSection).not.toContain('Strong demo');
    const repSections = texts.filter((text) => text.includes("The rep's view"));
    expect(repSections.join('\n')).toContain('Engaged procurement too late');
    expect(repSections.join('\n')).not.toContain('justify the price');
    expect(texts.join('\n')).toContain('*Globex* won');
    expect(texts.join('\n')).toContain('SSO on the basic plan');
    expect(liveMentions(summary)).toEqual(['<@U0REP>']);
    assertWithinSlackLimits(summary);
  });

  it('says when nothing was heard from the buyer and when no revisit date is set', () => {
    const summary = buildDebriefSummary({
      retroId: 'r1',
      dealName: 'Acme',
      authorSlackUserId: 'U0REP',
      answers: answers({ buyerWords: null, revisitOn: null }),
      revision: 1,
    });
    const text = mrkdwnTexts(summary).join('\n');
    expect(text).toContain('Nothing recorded from the buyer yet');
    expect(text).toContain('No date set to get back in touch');
  });

  it('says in the thread when the author asked to stay out of digests, and only then', () => {
    const summaryOf = (anonymous: boolean) =>
      mrkdwnTexts(buildDebriefSummary({ retroId: 'r1', dealName: 'Acme', authorSlackUserId: 'U0REP', answers: answers({ anonymous }), revision: 1 })).join('\n');
    expect(summaryOf(true)).toContain('without a name in digests');
    expect(summaryOf(false)).not.toContain('digests');
  });

  it('marks an edited debrief and escapes what the rep typed', () => {
    const summary = buildDebriefSummary({
      retroId: 'r1',
      dealName: 'Acme',
      authorSlackUserId: 'U0REP',
      answers: answers({ wentWrong: '<!here> we <@U0BOSS> missed it' }),
      revision: 2,
    });
    expect(mrkdwnTexts(summary).join('\n')).toContain('_(edited)_');
    expect(liveMentions(summary)).toEqual(['<@U0REP>']);
  });

  it('stays within limits when every answer is as long as the modal allows', () => {
    const long = 'w'.repeat(2900);
    const summary = buildDebriefSummary({
      retroId: 'r1',
      dealName: 'Acme',
      authorSlackUserId: 'U0REP',
      answers: answers({ whyWinnerWon: long, buyerWords: long, wentWell: long, wentWrong: long, featureGaps: long }),
      revision: 1,
    });
    assertWithinSlackLimits(summary);
  });
});
