import type { TReasonCatalog } from '../../../../src/domain/lossReasons';
import { OUTCOME_INPUTS } from '../../../../src/slack/ids';
import { parseDebriefMetadata, parseDebriefSubmission } from '../../../../src/slack/parsers/debrief';
import { menuChoiceEdit, parseReasonFormMetadata, parseReasonMenuChoice } from '../../../../src/slack/parsers/lossReasons';
import { formatSearchQuery, parseSearchQuery } from '../../../../src/slack/parsers/searchQuery';
import { parseOutcomeSubmission } from '../../../../src/slack/parsers/teamRetro';
import { debriefFormState, select, stateFor, text } from '../../../helpers/payloads';

// Parsers that meet a workspace's own loss reasons: the settings modal's menu and form, the
// debrief and outcome submissions (only reasons the form could offer), and search's reason:.

const TODAY = '2026-11-23';
const CATALOG: TReasonCatalog = [
  { value: 'price_budget', label: 'Commercials', retired: false },
  { value: 'product_gap', label: 'Product gap', retired: true },
  { value: 'data_residency', label: 'Data residency', retired: false },
  { value: 'data_quality', label: 'Data quality', retired: false },
];

describe('the loss-reason menu and form', () => {
  it('reads a menu choice into the edit it makes (rename needs the form first)', () => {
    expect(parseReasonMenuChoice('up:price_budget')).toEqual({ operation: 'up', value: 'price_budget' });
    expect(menuChoiceEdit({ operation: 'up', value: 'price_budget' })).toEqual({ kind: 'move', value: 'price_budget', direction: 'up' });
    expect(menuChoiceEdit({ operation: 'retire', value: 'x' })).toEqual({ kind: 'retire', value: 'x' });
    expect(menuChoiceEdit({ operation: 'restore', value: 'x' })).toEqual({ kind: 'restore', value: 'x' });
    expect(menuChoiceEdit({ operation: 'rename', value: 'x' })).toBeNull();
  });

  it.each([undefined, '', 'delete:price_budget', 'up:', 'up:Price Budget', ':price_budget', `up:${'a'.repeat(200)}`])('refuses the menu choice %p', (raw) => {
    expect(parseReasonMenuChoice(raw)).toBeNull();
  });

  it('reads the form’s metadata, and nothing else', () => {
    expect(parseReasonFormMetadata('{"listViewId":"V123","value":"product_gap"}')).toEqual({ listViewId: 'V123', value: 'product_gap' });
    expect(parseReasonFormMetadata('{"listViewId":"V123"}')).toEqual({ listViewId: 'V123' });
    expect(parseReasonFormMetadata('{"listViewId":"V123","value":"DROP TABLE"}')).toBeNull();
    expect(parseReasonFormMetadata('not json')).toBeNull();
    expect(parseReasonFormMetadata(undefined)).toBeNull();
  });
});

describe('debrief and outcome submissions against the workspace’s reasons', () => {
  it('accepts a reason the workspace added, and refuses a retired one unless the debrief already had it', () => {
    const reasons = { catalog: CATALOG };
    expect(parseDebriefSubmission(debriefFormState({ primaryReason: 'data_residency', secondaryReasons: [] }), TODAY, reasons)).toMatchObject({ ok: true, value: { primaryReason: 'data_residency' } });
    expect(parseDebriefSubmission(debriefFormState({ primaryReason: 'product_gap', secondaryReasons: [] }), TODAY, reasons)).toMatchObject({ ok: false, errors: { primaryReason: expect.stringContaining('from the list') } });
    expect(parseDebriefSubmission(debriefFormState({ primaryReason: 'price_budget', secondaryReasons: ['product_gap'] }), TODAY, reasons)).toMatchObject({ ok: false, errors: { secondaryReasons: expect.any(String) } });
    expect(parseDebriefSubmission(debriefFormState({ primaryReason: 'product_gap', secondaryReasons: [] }), TODAY, { catalog: CATALOG, kept: ['product_gap'] })).toMatchObject({ ok: true, value: { primaryReason: 'product_gap' } });
  });

  it('keeps the built-in reasons when no catalog is given', () => {
    expect(parseDebriefSubmission(debriefFormState({ primaryReason: 'data_residency', secondaryReasons: [] }), TODAY)).toMatchObject({ ok: false });
    expect(parseDebriefSubmission(debriefFormState(), TODAY)).toMatchObject({ ok: true, value: { primaryReason: 'price_budget' } });
  });

  it('carries the kept reasons in the modal’s metadata, checked like the rest', () => {
    const retroId = '2f6d2a4e-9b1c-4a57-8d0b-6c1e2f3a4b5c';
    expect(parseDebriefMetadata(JSON.stringify({ retroId, keptReasons: ['product_gap'] }))).toEqual({ retroId, keptReasons: ['product_gap'] });
    expect(parseDebriefMetadata(JSON.stringify({ retroId, keptReasons: ['<!channel>'] }))).toBeNull();
  });

  it('refuses a retired agreed reason unless the saved outcome had it', () => {
    const values = stateFor([
      [OUTCOME_INPUTS.primaryReason, select('product_gap')],
      [OUTCOME_INPUTS.lesson(0), text('Ask about hosting early.')],
    ]);
    const rules = { earliestDueOn: TODAY, reasons: CATALOG };
    expect(parseOutcomeSubmission(values, rules)).toMatchObject({ ok: false, errors: { [OUTCOME_INPUTS.primaryReason.block]: expect.any(String) } });
    expect(parseOutcomeSubmission(values, { ...rules, keptReason: 'product_gap' })).toMatchObject({ ok: true, value: { primaryReason: 'product_gap' } });
  });
});

describe('reason: in a search, with the workspace’s reasons', () => {
  const parse = (query: string) => parseSearchQuery(query, { today: TODAY, reasons: CATALOG });

  it.each([
    ['"Data residency"', 'data_residency'],
    ['residency', 'data_residency'],
    ['data_quality', 'data_quality'],
    ['commercials', 'price_budget'],
    // The value's words and the built-in synonyms still name a renamed reason.
    ['pricing', 'price_budget'],
    // Retired reasons are still found: old retros carry them.
    ['product', 'product_gap'],
  ])('reads reason:%s as %s', (given, reason) => {
    expect(parse(`reason:${given}`)).toMatchObject({ ok: true, query: { reason } });
  });

  it('asks for more when a word fits two reasons, and lists the workspace’s reasons when none', () => {
    expect(parse('reason:data')).toMatchObject({ ok: false, problems: [expect.stringContaining('could mean Data residency or Data quality')] });
    const unknown = parse('reason:weather');
    expect(unknown).toMatchObject({ ok: false });
    const problem = unknown.ok ? '' : unknown.problems.join('\n');
    expect(problem).toContain('`price` (Commercials)');
    expect(problem).toContain('`"Data residency"` (Data residency)');
    expect(problem).not.toContain('Product gap');
  });

  it('writes the value back, which reads as the same reason', () => {
    const parsed = parse('reason:"Data residency"');
    if (!parsed.ok) throw new Error(parsed.problems.join());
    expect(formatSearchQuery(parsed.query)).toBe('reason:data_residency');
    expect(parse(formatSearchQuery(parsed.query))).toEqual(parsed);
  });
});
