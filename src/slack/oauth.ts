import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { HTTPReceiverOptions, Installation, InstallationStore } from '@slack/bolt';
import type { WebClientOptions } from '@slack/web-api';
import { parse } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../lib/projectRoot';

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

const ZManifestScopes = z.object({ oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).min(1) }) }) });

/**
 * The bot scopes an install asks for, read from slack-manifest.yml so that an OAuth install and
 * an app created from the manifest can never ask for different things.
 */
export function manifestBotScopes(manifestPath = path.join(projectRoot(), 'slack-manifest.yml')): string[] {
  return ZManifestScopes.parse(parse(readFileSync(manifestPath, 'utf8'))).oauth_config.scopes.bot;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function page(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
      '<meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1d1c1d}code{background:#f4f4f4;padding:0 .25rem}</style>' +
      `</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}

/** What an admin sees after "Add to Slack": what happened, and the two steps that make Debrief useful. */
export function renderInstallSuccess(installation: Pick<Installation, 'team' | 'enterprise' | 'isEnterpriseInstall'>, res: ServerResponse): void {
  const where = installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name;
  page(
    res,
    200,
    'Debrief is installed',
    `<p>Debrief is now installed in <strong>${escapeHtml(where ?? 'your workspace')}</strong>.</p>` +
      '<ol><li>Invite it to the channel where retros should open: <code>/invite @Debrief</code>.</li>' +
      '<li>Run <code>/losses settings</code> there to choose that channel, the weekly digest and who counts as a manager.</li></ol>' +
      '<p>You can close this tab and go back to Slack.</p>',
  );
}

export function renderInstallFailure(error: { code?: string; message: string }, res: ServerResponse): void {
  // The error code helps support; the message can hold request details, so it stays in the logs.
  page(
    res,
    400,
    'Debrief could not be installed',
    `<p>Slack did not complete the install${error.code ? ` (<code>${escapeHtml(error.code)}</code>)` : ''}.</p>` +
      `<p><a href="${INSTALL_PATH}">Try again</a>. If it keeps failing, ask a workspace admin: some workspaces only allow approved apps.</p>`,
  );
}

export interface TOAuthAppOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  scopes: string[];
  installationStore: InstallationStore;
  redirectUri?: string;
  installerOptions: NonNullable<HTTPReceiverOptions['installerOptions']>;
}

export function oauthAppOptions(options: {
  oauth: { clientId: string; clientSecret: string; stateSecret: string };
  installationStore: InstallationStore;
  publicUrl: string | undefined;
  clientOptions: WebClientOptions;
  port?: number;
}): TOAuthAppOptions {
  return {
    ...options.oauth,
    scopes: manifestBotScopes(),
    installationStore: options.installationStore,
    ...(options.publicUrl ? { redirectUri: `${options.publicUrl}${REDIRECT_PATH}` } : {}),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      // The install page links straight to Slack's consent screen: one click fewer for admins.
      directInstall: true,
      clientOptions: options.clientOptions,
      ...(options.port !== undefined ? { port: options.port } : {}),
      callbackOptions: {
        success: (installation, _options, _req: IncomingMessage, res: ServerResponse) => renderInstallSuccess(installation, res),
        failure: (error, _options, _req: IncomingMessage, res: ServerResponse) => renderInstallFailure(error, res),
      },
    },
  };
}
