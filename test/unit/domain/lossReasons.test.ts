import { LOSS_REASONS } from '../../../src/domain/debrief';
import {
  activeReasons,
  applyReasonEdit,
  DEFAULT_REASON_CATALOG,
  humaniseReasonValue,
  isSelectableReason,
  MAX_REASON_LABEL,
  MAX_REASONS,
  reasonLabel,
  reasonRank,
  selectableReasons,
  valueForNewReason,
  type TLossReasonEntry,
  type TReasonCatalog,
  type TReasonEdit,
} from '../../../src/domain/lossReasons';

function edited(catalog: TReasonCatalog, edit: TReasonEdit): TLossReasonEntry[] {
  const result = applyReasonEdit(catalog, edit);
  if (!result.ok) throw new Error(`expected the edit to pass: ${result.problem}`);
  return result.catalog;
}

function problemOf(catalog: TReasonCatalog, edit: TReasonEdit): string {
  const result = applyReasonEdit(catalog, edit);
  if (result.ok) throw new Error(`expected a problem, got ${JSON.stringify(result.catalog)}`);
  return result.problem;
}

const CUSTOM: TReasonCatalog = [
  { value: 'price_budget', label: 'Commercials', retired: false },
  { value: 'product_gap', label: 'Product gap', retired: true },
  { value: 'data_residency', label: 'Data residency', retired: false },
];

describe('the built-in reasons', () => {
  it('are every workspace’s reasons until edited, all active, in the built-in order', () => {
    expect(DEFAULT_REASON_CATALOG.map((reason) => reason.value)).toEqual(LOSS_REASONS.map((reason) => reason.value));
    expect(activeReasons(DEFAULT_REASON_CATALOG)).toHaveLength(LOSS_REASONS.length);
    expect(reasonLabel(DEFAULT_REASON_CATALOG, 'procurement_legal_security')).toBe('Procurement, legal or security');
  });
});

describe('reasonLabel', () => {
  it('names a reason by the workspace’s current label, retired or not', () => {
    expect(reasonLabel(CUSTOM, 'price_budget')).toBe('Commercials');
    expect(reasonLabel(CUSTOM, 'product_gap')).toBe('Product gap');
  });

  it('humanises a value the workspace does not know instead of failing', () => {
    expect(reasonLabel(CUSTOM, 'timing_no_decision')).toBe('Timing no decision');
    expect(humaniseReasonValue('legacy__value_')).toBe('Legacy value');
    expect(humaniseReasonValue('')).toBe('');
  });
});

describe('selectableReasons', () => {
  it('offers active reasons only on a new form', () => {
    expect(selectableReasons(CUSTOM)).toEqual([
      { value: 'price_budget', label: 'Commercials' },
      { value: 'data_residency', label: 'Data residency' },
    ]);
  });

  it('keeps a retired or unknown reason the form already chose, marked retired, in the catalog’s order', () => {
    expect(selectableReasons(CUSTOM, ['product_gap', 'old_value'])).toEqual([
      { value: 'price_budget', label: 'Commercials' },
      { value: 'product_gap', label: 'Product gap (retired)' },
      { value: 'data_residency', label: 'Data residency' },
      { value: 'old_value', label: 'Old value (retired)' },
    ]);
  });

  it('keeps a marked label within Slack’s option text limit', () => {
    const long: TReasonCatalog = [{ value: 'long', label: 'x'.repeat(MAX_REASON_LABEL), retired: true }];
    const [option] = selectableReasons(long, ['long']);
    expect(option?.label.length).toBeLessThanOrEqual(MAX_REASON_LABEL);
    expect(option?.label.endsWith('(retired)')).toBe(true);
  });

  it('accepts a submitted reason only when active or already chosen', () => {
    expect(isSelectableReason(CUSTOM, 'data_residency')).toBe(true);
    expect(isSelectableReason(CUSTOM, 'product_gap')).toBe(false);
    expect(isSelectableReason(CUSTOM, 'product_gap', ['product_gap'])).toBe(true);
    expect(isSelectableReason(CUSTOM, 'made_up')).toBe(false);
  });
});

describe('applyReasonEdit', () => {
  it('adds a reason at the end, its value a unique slug of the label', () => {
    const catalog = edited(CUSTOM, { kind: 'add', label: '  Data   sovereignty ' });
    expect(catalog.at(-1)).toEqual({ value: 'data_sovereignty', label: 'Data sovereignty', retired: false });
    expect(valueForNewReason(catalog, 'Data sovereignty!')).toBe('data_sovereignty_2');
    expect(valueForNewReason(CUSTOM, 'Über-Preis')).toBe('uber_preis');
    expect(valueForNewReason(CUSTOM, '???')).toBe('reason');
  });

  it('refuses empty, too long and duplicate labels (case-insensitive, retired ones included)', () => {
    expect(problemOf(CUSTOM, { kind: 'add', label: '   ' })).toMatch(/Give the reason a name/);
    expect(problemOf(CUSTOM, { kind: 'add', label: 'x'.repeat(MAX_REASON_LABEL + 1) })).toMatch(/75 characters/);
    expect(problemOf(CUSTOM, { kind: 'add', label: 'COMMERCIALS' })).toMatch(/already a reason/);
    expect(problemOf(CUSTOM, { kind: 'add', label: 'product gap' })).toMatch(/retired: restore it instead/);
    expect(problemOf(CUSTOM, { kind: 'rename', value: 'data_residency', label: 'Commercials' })).toMatch(/already a reason/);
  });

  it(`refuses a reason past ${MAX_REASONS}`, () => {
    const full = Array.from({ length: MAX_REASONS }, (_, index) => ({ value: `r${index}`, label: `Reason ${index}`, retired: false }));
    expect(problemOf(full, { kind: 'add', label: 'One more' })).toMatch(`at most ${MAX_REASONS}`);
  });

  it('renames by label only: the value stays, so stored debriefs follow', () => {
    const catalog = edited(CUSTOM, { kind: 'rename', value: 'price_budget', label: 'Price' });
    expect(catalog[0]).toEqual({ value: 'price_budget', label: 'Price', retired: false });
    // Renaming to its own name in another case is not a duplicate.
    expect(edited(CUSTOM, { kind: 'rename', value: 'price_budget', label: 'COMMERCIALS' })[0]?.label).toBe('COMMERCIALS');
  });

  it('moves a reason up or down, and leaves the ends as they are', () => {
    expect(edited(CUSTOM, { kind: 'move', value: 'data_residency', direction: 'up' }).map((reason) => reason.value)).toEqual(['price_budget', 'data_residency', 'product_gap']);
    expect(edited(CUSTOM, { kind: 'move', value: 'price_budget', direction: 'down' }).map((reason) => reason.value)).toEqual(['product_gap', 'price_budget', 'data_residency']);
    expect(edited(CUSTOM, { kind: 'move', value: 'price_budget', direction: 'up' })).toEqual(CUSTOM);
  });

  it('retires and restores, but always leaves one reason to choose', () => {
    const retired = edited(CUSTOM, { kind: 'retire', value: 'price_budget' });
    expect(activeReasons(retired).map((reason) => reason.value)).toEqual(['data_residency']);
    expect(problemOf(retired, { kind: 'retire', value: 'data_residency' })).toMatch(/at least one reason/);
    expect(activeReasons(edited(retired, { kind: 'restore', value: 'product_gap' })).map((reason) => reason.value)).toEqual(['product_gap', 'data_residency']);
  });

  it('says so when the reason is gone, without changing anything', () => {
    expect(problemOf(CUSTOM, { kind: 'retire', value: 'nope' })).toMatch(/not in this workspace/);
  });
});

describe('reasonRank', () => {
  it('orders by the workspace’s list, unknown values last', () => {
    expect(reasonRank(CUSTOM, 'data_residency')).toBe(2);
    expect(reasonRank(CUSTOM, 'whatever')).toBe(3);
  });
});
