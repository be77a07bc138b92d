import type { TLogger } from '../../lib/logger';
import type { TRepositories } from '../../repositories';
import type { TManagerDirectory } from '../../services/managers';

/** What every listener may use; the WebClient comes from Bolt per request. */
export interface TListenerDeps {
  repos: TRepositories;
  logger: TLogger;
  retroChannelId: string;
  /** Who counts as a manager (MANAGER_USERGROUP / MANAGER_USER_IDS). */
  managers: TManagerDirectory;
  /** Injected so tests can fix "today"; defaults to the wall clock. */
  now?: () => Date;
}
