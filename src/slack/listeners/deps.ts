import type { TLogger } from '../../lib/logger';
import type { TSecretBox } from '../../lib/secretBox';
import type { TRepositories } from '../../repositories';
import type { TChannelAccess } from '../../services/channelAccess';
import type { TManagerDirectory } from '../../services/managers';
import type { TWorkspaceSettingsDirectory } from '../../services/workspaceSettings';
import type { TDigestConfig } from '../../services/digest/digestSchedule';
import type { TDebriefNudgeSettings } from '../../services/reminders/debriefNudges';

/** What every listener may use; the WebClient comes from Bolt per request. */
export interface TListenerDeps {
  repos: TRepositories;
  logger: TLogger;
  /** RETRO_CHANNEL, for workspaces that chose none in /losses settings; unset with OAuth installs. */
  retroChannelId: string | undefined;
  /** Each workspace's /losses settings, with the deployment's defaults filled in. */
  workspaceSettings: TWorkspaceSettingsDirectory;
  /** Seals each workspace's CRM connection secrets; undefined without ENCRYPTION_KEY (no connections then). */
  secretBox: TSecretBox | undefined;
  /** PUBLIC_URL, for the webhook URLs shown to admins. */
  publicUrl: string | undefined;
  /** Who counts as a manager (MANAGER_USERGROUP / MANAGER_USER_IDS). */
  managers: TManagerDirectory;
  /** Which retro channels a person may read (private channels: members only), cached briefly. */
  channelAccess: TChannelAccess;
  /** DEBRIEF_NUDGE_AFTER, for the reminders scheduled when a retro opens. */
  reminders?: TDebriefNudgeSettings;
  /** The weekly digest's defaults (DIGEST_CHANNEL, DIGEST_TZ, DEFAULT_TIMEZONE, RETRO_CHANNEL). */
  digest: TDigestConfig;
  /** Injected so tests can fix "today"; defaults to the wall clock. */
  now?: () => Date;
}
