import { WebClient, type WebClientOptions } from '@slack/web-api';

/**
 * WebClients for work that does not come from a Slack request (CRM webhooks, reminders, digests),
 * where Bolt cannot hand one over. With a single bot token every team gets the same client; with
 * OAuth installs each team gets a client with its own token, read from its installation.
 * startDebrief builds one of these and hands it to every kind of background work.
 */
export interface TSlackClients {
  forTeam(slackTeamId: string): Promise<WebClient>;
}

export class WorkspaceNotInstalledError extends Error {
  constructor(readonly slackTeamId: string) {
    super(`Debrief is not installed in workspace ${slackTeamId}.`);
    this.name = 'WorkspaceNotInstalledError';
  }
}

export function singleTokenClients(client: WebClient): TSlackClients {
  return { forTeam: () => Promise.resolve(client) };
}

/** The installation that serves a team: its own, or the org-wide install of its Enterprise Grid org. */
export type TTeamInstallQuery =
  | { teamId: string; enterpriseId: undefined; isEnterpriseInstall: false }
  | { teamId: string; enterpriseId: string; isEnterpriseInstall: true };

/**
 * What hands out a team's bot token: Bolt's InstallProvider.authorize, which reads the
 * installation and, when the app uses token rotation, refreshes a token that expires within two
 * hours and stores the new one before answering.
 */
export interface TTeamAuthorizer {
  authorize(query: TTeamInstallQuery): Promise<{ botToken?: string }>;
}

export function installationClients(options: {
  authorizer: TTeamAuthorizer;
  /**
   * Which installation serves the team (its own, else its org's org-wide install), or null when
   * none does; keeps "not installed" apart from a failing database or Slack.
   */
  installFor: (slackTeamId: string) => Promise<TTeamInstallQuery | null>;
  clientOptions: WebClientOptions;
}): TSlackClients {
  // One client per token: the WebClient keeps its own rate-limit queue, which only helps if reused.
  // A rotated token gets a new client; the old one is dropped so the map cannot grow without end.
  const clientsByTeam = new Map<string, { token: string; client: WebClient }>();
  return {
    async forTeam(slackTeamId) {
      const install = await options.installFor(slackTeamId);
      if (!install) throw new WorkspaceNotInstalledError(slackTeamId);
      const { botToken } = await options.authorizer.authorize(install);
      if (!botToken) throw new WorkspaceNotInstalledError(slackTeamId);
      const cached = clientsByTeam.get(slackTeamId);
      if (cached?.token === botToken) return cached.client;
      const client = new WebClient(botToken, options.clientOptions);
      clientsByTeam.set(slackTeamId, { token: botToken, client });
      return client;
    },
  };
}
