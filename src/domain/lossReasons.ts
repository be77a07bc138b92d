import { LOSS_REASONS } from './debrief';

// Each workspace's loss-reason taxonomy (/losses settings > Edit loss reasons). Debriefs and
// outcomes store a reason's VALUE, a slug that never changes; the workspace decides its label,
// its order, and whether it is still offered. So a rename relabels every old retro, digest and
// search at once, and a retired reason disappears from new choices while old retros keep it.
// Pure: the catalog comes in (services/lossReasons.ts reads it), decisions and labels go out.

export interface TLossReasonEntry {
  /** Stored in debriefs and outcomes; never changes once a reason exists. */
  value: string;
  label: string;
  /** Retired reasons are not offered for new choices but keep their label everywhere else. */
  retired: boolean;
}

/** A workspace's reasons in the order they are offered (active and retired together). */
export type TReasonCatalog = readonly TLossReasonEntry[];

/** The built-in reasons: every workspace's until someone edits them. */
export const DEFAULT_REASON_CATALOG: TReasonCatalog = LOSS_REASONS.map((reason) => ({ value: reason.value, label: reason.label, retired: false }));

/** Slack's most for an option's text: every reason is an option of the debrief and outcome selects. */
export const MAX_REASON_LABEL = 75;
/**
 * Active and retired together. A select holds 100 options and a modal 100 blocks; the list in
 * /losses settings shows one row per reason, so 90 leaves room for its other blocks.
 */
export const MAX_REASONS = 90;
/** Slack's most options in a static_select. */
const SELECT_OPTIONS_MAX = 100;
/** Values are slugs of the first label, kept short: they travel in option values and search filters. */
export const MAX_REASON_VALUE = 40;
/** What a stored reason value looks like; anything else in a submission is forged or stale. */
export const REASON_VALUE_PATTERN = /^[a-z0-9_]{1,64}$/;

const RETIRED_MARK = ' (retired)';

/** "procurement_legal_security" -> "Procurement legal security": for values no longer in the catalog. */
export function humaniseReasonValue(value: string): string {
  const words = value.replace(/_+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : value;
}

/** The reason's current label; a value the workspace does not know (legacy, forged) is humanised, never an error. */
export function reasonLabel(catalog: TReasonCatalog, value: string): string {
  return catalog.find((reason) => reason.value === value)?.label ?? humaniseReasonValue(value);
}

export function activeReasons(catalog: TReasonCatalog): TLossReasonEntry[] {
  return catalog.filter((reason) => !reason.retired);
}

/**
 * The options of a reason picker: the active reasons, plus the reasons already chosen on the form
 * being edited even when retired (marked so) or unknown, so an old answer is never silently dropped.
 */
export function selectableReasons(catalog: TReasonCatalog, alreadyChosen: readonly string[] = []): Array<{ value: string; label: string }> {
  const kept = new Set(alreadyChosen);
  const options = catalog
    .filter((reason) => !reason.retired || kept.has(reason.value))
    .map((reason) => ({ value: reason.value, label: reason.retired ? withRetiredMark(reason.label) : reason.label }));
  for (const value of alreadyChosen) {
    if (REASON_VALUE_PATTERN.test(value) && !options.some((candidate) => candidate.value === value)) {
      options.push({ value, label: withRetiredMark(humaniseReasonValue(value)) });
    }
  }
  return options.slice(0, SELECT_OPTIONS_MAX);
}

function withRetiredMark(label: string): string {
  return label.length + RETIRED_MARK.length <= MAX_REASON_LABEL ? `${label}${RETIRED_MARK}` : `${label.slice(0, MAX_REASON_LABEL - RETIRED_MARK.length - 1)}…${RETIRED_MARK}`;
}

/** Whether a submitted reason may be saved: an active one, or one the form already had. */
export function isSelectableReason(catalog: TReasonCatalog, value: string, alreadyChosen: readonly string[] = []): boolean {
  return alreadyChosen.includes(value) || catalog.some((reason) => reason.value === value && !reason.retired);
}

/** Position in the workspace's order, for sorting reasons (unknown values last). */
export function reasonRank(catalog: TReasonCatalog, value: string | null): number {
  const index = value === null ? -1 : catalog.findIndex((reason) => reason.value === value);
  return index === -1 ? catalog.length : index;
}

// ------------------------------------------------------------------------------------------------
// Edits
// ------------------------------------------------------------------------------------------------

export type TReasonEdit =
  | { kind: 'add'; label: string }
  | { kind: 'rename'; value: string; label: string }
  | { kind: 'move'; value: string; direction: 'up' | 'down' }
  | { kind: 'retire'; value: string }
  | { kind: 'restore'; value: string };

export type TReasonEditResult = { ok: true; catalog: TLossReasonEntry[]; value: string } | { ok: false; problem: string };

/** Spaces tidied; what a label is compared and stored as. */
export function normaliseReasonLabel(label: string): string {
  return label.replace(/\s+/g, ' ').trim();
}

/** Why a label cannot be used (for `exceptValue`'s rename), or null when it can. */
export function reasonLabelProblem(catalog: TReasonCatalog, label: string, exceptValue?: string): string | null {
  const tidy = normaliseReasonLabel(label);
  if (!tidy) return 'Give the reason a name.';
  if (tidy.length > MAX_REASON_LABEL) return `Keep the name to ${MAX_REASON_LABEL} characters (Slack's limit for a choice); this one has ${tidy.length}.`;
  if (!/[\p{L}\p{N}]/u.test(tidy)) return 'Use at least one letter or digit in the name.';
  const clash = catalog.find((reason) => reason.value !== exceptValue && reason.label.toLocaleLowerCase('en-US') === tidy.toLocaleLowerCase('en-US'));
  if (clash) return clash.retired ? `"${clash.label}" already exists but is retired: restore it instead.` : `"${clash.label}" is already a reason.`;
  return null;
}

/** A new value from the label, unique in the catalog: "Data residency" -> data_residency (then data_residency_2). */
export function valueForNewReason(catalog: TReasonCatalog, label: string): string {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, MAX_REASON_VALUE)
      .replace(/_+$/, '') || 'reason';
  const taken = new Set(catalog.map((reason) => reason.value));
  if (!taken.has(base)) return base;
  for (let suffix = 2; ; suffix += 1) {
    const candidate = `${base.slice(0, MAX_REASON_VALUE - String(suffix).length - 1)}_${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Applies one edit to the catalog; every refusal says what to do instead. */
export function applyReasonEdit(catalog: TReasonCatalog, edit: TReasonEdit): TReasonEditResult {
  const reasons = catalog.map((reason) => ({ ...reason }));
  if (edit.kind === 'add') {
    if (reasons.length >= MAX_REASONS) return { ok: false, problem: `A workspace can have at most ${MAX_REASONS} reasons (so they fit Slack's lists). Rename a retired one instead.` };
    const problem = reasonLabelProblem(reasons, edit.label);
    if (problem) return { ok: false, problem };
    const label = normaliseReasonLabel(edit.label);
    const value = valueForNewReason(reasons, label);
    return { ok: true, catalog: [...reasons, { value, label, retired: false }], value };
  }
  const index = reasons.findIndex((reason) => reason.value === edit.value);
  const reason = reasons[index];
  if (!reason) return { ok: false, problem: 'That reason is not in this workspace any more. Reopen the list and try again.' };
  switch (edit.kind) {
    case 'rename': {
      const problem = reasonLabelProblem(reasons, edit.label, edit.value);
      if (problem) return { ok: false, problem };
      reason.label = normaliseReasonLabel(edit.label);
      break;
    }
    case 'move': {
      const other = edit.direction === 'up' ? index - 1 : index + 1;
      const neighbour = reasons[other];
      if (!neighbour) return { ok: true, catalog: reasons, value: reason.value };
      reasons[other] = reason;
      reasons[index] = neighbour;
      break;
    }
    case 'retire': {
      if (!reason.retired && activeReasons(reasons).length <= 1) return { ok: false, problem: 'Keep at least one reason to choose from: add another before retiring this one.' };
      reason.retired = true;
      break;
    }
    case 'restore': {
      const clash = reasons.find((candidate) => candidate.value !== reason.value && !candidate.retired && candidate.label.toLocaleLowerCase('en-US') === reason.label.toLocaleLowerCase('en-US'));
      if (clash) return { ok: false, problem: `Another reason is already called "${clash.label}": rename one of them first.` };
      reason.retired = false;
      break;
    }
  }
  return { ok: true, catalog: reasons, value: reason.value };
}
