import type { TLogger } from '../../lib/logger';
import type { TRepositories } from '../../repositories';

/** What every listener may use; the WebClient comes from Bolt per request. */
export interface TListenerDeps {
  repos: TRepositories;
  logger: TLogger;
  retroChannelId: string;
  /** Injected so tests can fix "today"; defaults to the wall clock. */
  now?: () => Date;
}
