import { applyReasonEdit, DEFAULT_REASON_CATALOG, type TReasonCatalog, type TReasonEdit, type TReasonEditResult } from '../domain/lossReasons';
import type { TRepositories } from '../repositories';
import type { TStoredLossReason } from '../repositories/lossReasons';
import type { TWorkspaceScope } from '../repositories/scope';

// "The workspace's loss reasons", for every surface that offers or names one: the debrief and
// outcome modals (active reasons to choose from), and summaries, digests, search, the library and
// exports (every reason, for its label). A workspace that never edited them has the built-in ones.

type TLossReasonDeps = { repos: Pick<TRepositories, 'lossReasons'> };

function catalogOf(rows: readonly TStoredLossReason[]): TReasonCatalog {
  if (rows.length === 0) return DEFAULT_REASON_CATALOG;
  return rows.map((row) => ({ value: row.value, label: row.label, retired: row.retiredAt !== null }));
}

/** Every reason of the workspace, active and retired, in its order. */
export async function loadReasonCatalog(deps: TLossReasonDeps, scope: TWorkspaceScope): Promise<TReasonCatalog> {
  return catalogOf(await deps.repos.lossReasons.list(scope));
}

/**
 * Applies one edit from /losses settings and stores what it changed. The first edit also stores
 * the built-in reasons, so from then on the workspace's list is entirely its own.
 */
export async function editLossReasons(deps: TLossReasonDeps, input: { workspaceId: string; edit: TReasonEdit; at: Date }): Promise<TReasonEditResult> {
  const stored = await deps.repos.lossReasons.listFresh({ workspaceId: input.workspaceId });
  const result = applyReasonEdit(catalogOf(stored), input.edit);
  if (!result.ok) return result;
  const before = new Map(stored.map((row) => [row.value, row]));
  const changed = result.catalog
    .map((reason, position): TStoredLossReason => {
      const previous = before.get(reason.value);
      // A reason retired earlier keeps the day it was retired.
      const retiredAt = reason.retired ? (previous?.retiredAt ?? input.at) : null;
      return { value: reason.value, label: reason.label, position, retiredAt };
    })
    .filter((row) => {
      const previous = before.get(row.value);
      return !previous || previous.label !== row.label || previous.position !== row.position || (previous.retiredAt === null) !== (row.retiredAt === null);
    });
  await deps.repos.lossReasons.save(input.workspaceId, changed);
  return result;
}

/** The list /losses settings shows: every reason, and whether the workspace has made it its own yet. */
export async function loadReasonList(deps: TLossReasonDeps, workspaceId: string): Promise<{ catalog: TReasonCatalog; customised: boolean }> {
  const rows = await deps.repos.lossReasons.listFresh({ workspaceId });
  return { catalog: catalogOf(rows), customised: rows.length > 0 };
}
