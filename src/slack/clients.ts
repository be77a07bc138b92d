import type { InstallationStore } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';

/**
 * WebClients for work that does not come from a Slack request (CRM webhooks, reminders, digests),
 * where Bolt cannot hand one over. With a single bot token every team gets the same client; with
 * OAuth installs each team gets a client with its own token, read from its installation.
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

export function installationClients(options: { installationStore: InstallationStore; clientOptions: WebClientOptions }): TSlackClients {
  // One client per token: the WebClient keeps its own rate-limit queue, which only helps if reused.
  const clientsByToken = new Map<string, WebClient>();
  return {
    async forTeam(slackTeamId) {
      const installation = await options.installationStore
        .fetchInstallation({ teamId: slackTeamId, enterpriseId: undefined, isEnterpriseInstall: false })
        .catch(() => undefined);
      const token = installation?.bot?.token;
      if (!token) throw new WorkspaceNotInstalledError(slackTeamId);
      let client = clientsByToken.get(token);
      if (!client) {
        client = new WebClient(token, options.clientOptions);
        clientsByToken.set(token, client);
      }
      return client;
    },
  };
}
