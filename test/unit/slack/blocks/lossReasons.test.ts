import type { ModalView, PlainTextOption } from '@slack/types';
import type { TDebriefAnswers } from '../../../../src/domain/debrief';
import { MAX_REASONS, type TReasonCatalog } from '../../../../src/domain/lossReasons';
import { buildDebriefModal } from '../../../../src/slack/blocks/debriefModal';
import { buildDebriefSummary } from '../../../../src/slack/blocks/debriefSummary';
import { buildLossReasonFormModal, buildLossReasonsModal } from '../../../../src/slack/blocks/lossReasonsModal';
import { buildSearchHelpBlocks, buildSearchHitBlocks } from '../../../../src/slack/blocks/search';
import { buildOutcomeMessage, buildOutcomeModal } from '../../../../src/slack/blocks/teamRetro';
import { digestChart } from '../../../../src/domain/digest/chart';
import { summariseDigest } from '../../../../src/domain/digest/summarise';
import { buildLossesCsv } from '../../../../src/services/lossExport';
import { buildDigestMessages } from '../../../../src/slack/blocks/digest';
import { IN_PERIOD, debrief, input, loss } from '../../domain/digest/fixtures';
import { CALLBACKS, DEBRIEF_INPUTS, LOSS_REASON_ACTIONS, LOSS_REASON_INPUTS, OUTCOME_INPUTS } from '../../../../src/slack/ids';
import { assertWithinSlackLimits, liveMentions, mrkdwnTexts } from '../../../helpers/blockKitLimits';

// Every builder that offers or names a loss reason takes the workspace's catalog: offered reasons
// are the active ones (plus any the form already chose), names are the current labels, escaped.

const RETRO_ID = '2f6d2a4e-9b1c-4a57-8d0b-6c1e2f3a4b5c';
const CATALOG: TReasonCatalog = [
  { value: 'price_budget', label: 'Commercials', retired: false },
  { value: 'product_gap', label: 'Product gap', retired: true },
  { value: 'data_residency', label: 'Data <!channel> residency', retired: false },
];

const answers = (overrides: Partial<TDebriefAnswers> = {}): TDebriefAnswers => ({
  primaryReason: 'price_budget',
  secondaryReasons: [],
  outcome: 'unknown',
  winnerName: null,
  whyWinnerWon: null,
  priceToValue: null,
  buyerWords: null,
  wentWell: null,
  wentWrong: 'Too late',
  featureGaps: null,
  revisitOn: null,
  anonymous: false,
  ...overrides,
});

type TInputBlock = { block_id?: string; element?: { options?: PlainTextOption[]; initial_option?: PlainTextOption; initial_options?: PlainTextOption[] } };
function selectOf(view: ModalView, blockId: string) {
  const element = (view.blocks as TInputBlock[]).find((block) => block.block_id === blockId)?.element;
  if (!element) throw new Error(`no input ${blockId}`);
  return element;
}
const valuesOf = (options: PlainTextOption[] | undefined) => (options ?? []).map((option) => option.value);
const labelsOf = (options: PlainTextOption[] | undefined) => (options ?? []).map((option) => option.text.text);

describe('the debrief modal with a workspace’s reasons', () => {
  it('offers only active reasons on a first debrief, in the workspace’s order and words', () => {
    const view = buildDebriefModal({ retroId: RETRO_ID, dealName: 'Acme', knownCompetitor: null, existing: null, reasons: CATALOG });
    const primary = selectOf(view, DEBRIEF_INPUTS.primaryReason.block);
    expect(valuesOf(primary.options)).toEqual(['price_budget', 'data_residency']);
    expect(labelsOf(primary.options)).toEqual(['Commercials', 'Data <!channel> residency']);
    expect(valuesOf(selectOf(view, DEBRIEF_INPUTS.secondaryReasons.block).options)).toEqual(['price_budget', 'data_residency']);
    expect(JSON.parse(view.private_metadata ?? '{}')).toEqual({ retroId: RETRO_ID });
    assertWithinSlackLimits(view);
  });

  it('keeps the reasons an edited debrief chose, even retired or unknown since, and remembers them for the submission', () => {
    const existing = answers({ primaryReason: 'product_gap', secondaryReasons: ['legacy_reason', 'price_budget'] });
    const view = buildDebriefModal({ retroId: RETRO_ID, dealName: 'Acme', knownCompetitor: null, existing, reasons: CATALOG });
    const primary = selectOf(view, DEBRIEF_INPUTS.primaryReason.block);
    expect(labelsOf(primary.options)).toEqual(['Commercials', 'Product gap (retired)', 'Data <!channel> residency', 'Legacy reason (retired)']);
    expect(primary.initial_option?.value).toBe('product_gap');
    expect(valuesOf(selectOf(view, DEBRIEF_INPUTS.secondaryReasons.block).initial_options)).toEqual(['price_budget', 'legacy_reason']);
    expect(JSON.parse(view.private_metadata ?? '{}')).toEqual({ retroId: RETRO_ID, keptReasons: ['product_gap', 'legacy_reason', 'price_budget'] });
    assertWithinSlackLimits(view);
  });
});

describe('the outcome modal and message with a workspace’s reasons', () => {
  it('offers active reasons, keeps the saved one if retired, and preselects the rep’s only when still offered', () => {
    const first = buildOutcomeModal({ retroId: RETRO_ID, dealName: 'Acme', repReason: 'product_gap', existing: null, reasons: CATALOG });
    const select = selectOf(first, OUTCOME_INPUTS.primaryReason.block);
    expect(valuesOf(select.options)).toEqual(['price_budget', 'data_residency']);
    expect(select.initial_option).toBeUndefined();
    expect(mrkdwnTexts(first).join('\n')).toContain("The rep's debrief says: *Product gap*");

    const editing = buildOutcomeModal({ retroId: RETRO_ID, dealName: 'Acme', repReason: null, existing: { primaryReason: 'product_gap', lessons: [], actionItems: [] }, reasons: CATALOG });
    const kept = selectOf(editing, OUTCOME_INPUTS.primaryReason.block);
    expect(labelsOf(kept.options)).toContain('Product gap (retired)');
    expect(kept.initial_option?.value).toBe('product_gap');
    expect(JSON.parse(editing.private_metadata ?? '{}')).toEqual({ retroId: RETRO_ID, keptReason: 'product_gap' });
    assertWithinSlackLimits(first);
    assertWithinSlackLimits(editing);
  });

  it('names reasons by their current labels, escaped so a label cannot ping anyone', () => {
    const message = buildOutcomeMessage({
      retroId: RETRO_ID,
      dealName: 'Acme',
      primaryReason: 'data_residency',
      repReason: 'price_budget',
      closedBySlackUserId: 'U0MGR',
      revision: 1,
      lastSavedBySlackUserId: 'U0MGR',
      lastSavedOn: '2026-11-23',
      lessons: [{ text: 'Ask about hosting early', shareWithNewReps: false, source: 'outcome', authorSlackUserId: null }],
      actionItems: [],
      reasons: CATALOG,
    });
    const text = mrkdwnTexts(message).join('\n');
    expect(text).toContain('*Main reason, agreed by the team:* Data &lt;!channel&gt; residency (the debrief said: Commercials)');
    // Only the person who closed it is mentioned; the label's <!channel> is text.
    expect(liveMentions(message)).toEqual(['<@U0MGR>']);
    const summary = buildDebriefSummary({ retroId: RETRO_ID, dealName: 'Acme', authorSlackUserId: 'U0REP', answers: answers({ secondaryReasons: ['data_residency'] }), revision: 1, reasons: CATALOG });
    expect(mrkdwnTexts(summary).join('\n')).toContain('*Main reason:* Commercials\n*Also played a part:* Data &lt;!channel&gt; residency');
    expect(liveMentions(summary)).toEqual(['<@U0REP>']);
  });
});

describe('search with a workspace’s reasons', () => {
  it('labels a hit with the current label and lists the workspace’s active reasons in the help', () => {
    const hit = buildSearchHitBlocks(
      {
        retroId: RETRO_ID,
        dealName: 'Acme',
        competitor: null,
        outcome: null,
        primaryReason: 'product_gap',
        status: 'reviewed',
        amount: null,
        currency: null,
        lostOn: '2026-11-02',
        lessonsCount: 0,
        ownerSlackUserId: null,
        ownerName: null,
        channelId: 'C1',
        permalink: null,
        snippet: null,
        whyWinnerWon: null,
        firstLesson: null,
      },
      1,
      CATALOG,
    );
    expect(JSON.stringify(hit)).toContain('Product gap');
    const help = mrkdwnTexts({ blocks: buildSearchHelpBlocks(CATALOG) }).join('\n');
    expect(help).toContain('`reason:price` (Commercials)');
    expect(help).toContain('`reason:data` (Data &lt;!channel&gt; residency)');
    expect(help).not.toContain('Product gap');
  });
});

describe('the digest and the export with a workspace’s reasons', () => {
  it('counts reasons under their current labels, ties in the workspace’s order, unknown values humanised', () => {
    const digest = summariseDigest(
      input({
        reasons: CATALOG,
        losses: [
          loss({ retroId: 'r1', openedAt: IN_PERIOD, debrief: debrief({ primaryReason: 'data_residency' }) }),
          loss({ retroId: 'r2', openedAt: IN_PERIOD, debrief: debrief({ primaryReason: 'price_budget' }) }),
          loss({ retroId: 'r3', openedAt: IN_PERIOD, debrief: debrief({ primaryReason: 'old_reason' }) }),
        ],
      }),
    );
    expect(digest.reasons.map((row) => row.reason)).toEqual(['price_budget', 'data_residency', 'old_reason']);
    const messages = buildDigestMessages(digest);
    const text = [messages.parent, ...messages.replies].flatMap((message) => mrkdwnTexts(message)).join('\n');
    expect(text).toContain('Commercials');
    expect(text).toContain('Data &lt;!channel&gt; residency');
    expect(text).toContain('Old reason');
    expect(digestChart(digest)?.panels[0]?.rows.map((row) => row.label)).toEqual(['Commercials', 'Data <!channel> residency', 'Old reason']);
    for (const message of [messages.parent, ...messages.replies]) expect(liveMentions(message)).not.toContain('<!channel>');
  });

  it('exports the current label', () => {
    const csv = buildLossesCsv(
      [{ retroId: 'r1', dealName: 'Acme', competitor: null, outcome: null, primaryReason: 'price_budget', status: 'reviewed', amount: null, currency: null, lostOn: '2026-10-01', lessonsCount: 0, ownerSlackUserId: null, ownerName: null, channelId: 'C1', permalink: null, snippet: null, whyWinnerWon: null, firstLesson: null }],
      CATALOG,
    );
    expect(csv.split('\r\n')[1]).toBe('Acme,,,Commercials,,,2026-10-01,reviewed,,,,0,,');
  });
});

describe('buildLossReasonsModal', () => {
  const rowsOf = (view: ModalView) =>
    (view.blocks as Array<{ type: string; text?: { text: string }; accessory?: { type: string; action_id: string; options: PlainTextOption[] } }>).filter((block) => block.accessory?.type === 'overflow');

  it('shows each reason in order with a menu that fits its place, and an add button', () => {
    const view = buildLossReasonsModal({ catalog: CATALOG, customised: true, notice: ':white_check_mark: Renamed.' });
    expect(view.callback_id).toBe(CALLBACKS.lossReasonsModal);
    const rows = rowsOf(view);
    expect(rows.map((row) => row.accessory?.action_id)).toEqual(['price_budget', 'product_gap', 'data_residency'].map((value) => `${LOSS_REASON_ACTIONS.menuPrefix}${value}`));
    expect(valuesOf(rows[0]?.accessory?.options)).toEqual(['rename:price_budget', 'down:price_budget', 'retire:price_budget']);
    expect(valuesOf(rows[1]?.accessory?.options)).toEqual(['rename:product_gap', 'up:product_gap', 'down:product_gap', 'restore:product_gap']);
    expect(valuesOf(rows[2]?.accessory?.options)).toEqual(['rename:data_residency', 'up:data_residency', 'retire:data_residency']);
    expect(rows[1]?.text?.text).toContain('retired');
    expect(liveMentions(view)).toEqual([]);
    expect(JSON.stringify(view.blocks)).toContain(LOSS_REASON_ACTIONS.add);
    assertWithinSlackLimits(view);
  });

  it('says the list is the built-in one until edited', () => {
    expect(mrkdwnTexts(buildLossReasonsModal({ catalog: CATALOG, customised: false })).join('\n')).toContain('built-in reasons');
  });

  it(`stays within Slack's limits at ${MAX_REASONS} reasons, without an add button`, () => {
    const full = Array.from({ length: MAX_REASONS }, (_, index) => ({ value: `reason_${index}`, label: `${'Long name '.repeat(7)}${index}`.slice(0, 75), retired: index % 2 === 0 }));
    const view = buildLossReasonsModal({ catalog: full, customised: true, notice: 'x' });
    assertWithinSlackLimits(view);
    expect(rowsOf(view)).toHaveLength(MAX_REASONS);
    expect(JSON.stringify(view.blocks)).not.toContain(LOSS_REASON_ACTIONS.add);
  });

  it('asks for a name, prefilled when renaming', () => {
    const adding = buildLossReasonFormModal({ privateMetadata: '{"listViewId":"V1"}' });
    const renaming = buildLossReasonFormModal({ privateMetadata: '{"listViewId":"V1","value":"product_gap"}', current: { label: 'Product gap', retired: true } });
    expect(adding.callback_id).toBe(CALLBACKS.lossReasonFormModal);
    expect(JSON.stringify(adding.blocks)).toContain(LOSS_REASON_INPUTS.label.action);
    expect(JSON.stringify(renaming.blocks)).toContain('"initial_value":"Product gap"');
    expect(JSON.stringify(renaming.blocks)).toContain('retired');
    assertWithinSlackLimits(adding);
    assertWithinSlackLimits(renaming);
  });

});
