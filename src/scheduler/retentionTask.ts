import { purgeExpiredWorkspaces, type TUninstallDeps } from '../services/uninstall';
import type { TScheduledTask } from './scheduler';

/**
 * Deletes, once a day, the workspaces uninstalled more than DATA_RETENTION_DAYS ago. The first
 * pass after start-up runs at once (an instance may have been down at midnight); later passes run
 * when the UTC date changes. Each delete is conditional in the database, so several instances
 * running this together delete (and report) each workspace once.
 */
export function createRetentionTask(deps: Omit<TUninstallDeps, 'now'> & { retentionDays: number }): TScheduledTask {
  let lastRunOn: string | undefined;
  return {
    name: 'purge-uninstalled-workspaces',
    async runDue(now) {
      const today = now.toISOString().slice(0, 10);
      if (today === lastRunOn) return;
      await purgeExpiredWorkspaces({ ...deps, now: () => now });
      // Only after success: a failed purge (database briefly down) is tried again next minute.
      lastRunOn = today;
    },
  };
}
