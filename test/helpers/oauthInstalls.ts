import { randomBytes } from 'node:crypto';
import type { TConfig } from '../../src/config/env';
import type { ResponseBody } from './fakeSlack';
import type { THarness } from './debriefHarness';

// Workspaces installed through "Add to Slack" against the fake Slack: the harness options for OAuth
// mode, the fake's oauth.v2.access and auth.test answers, and the browser's walk through the flow.

export interface TOAuthTeam {
  code: string;
  teamId: string;
  name: string;
  token: string;
  botUserId: string;
}

export const OAUTH_TEAMS = {
  acme: { code: 'code-acme', teamId: 'T0ACME001', name: 'Acme Sales', token: 'xoxb-acme-1111-SECRET', botUserId: 'U0BOTACME' },
  globex: { code: 'code-globex', teamId: 'T0GLOBEX1', name: 'Globex', token: 'xoxb-globex-2222-SECRET', botUserId: 'U0BOTGLBX' },
} as const satisfies Record<string, TOAuthTeam>;

export const TEST_OAUTH = { clientId: '1234567890.0987654321', clientSecret: 'abcdef0123456789abcdef', stateSecret: 'state-secret-for-tests-only' } as const;

/** startHarness options for OAuth mode: no bot token, each team's own token from its install. */
export function oauthHarnessOptions(): { slack: Partial<TConfig['slack']>; encryptionKeys: Buffer[] } {
  return { slack: { botToken: undefined, oauth: { ...TEST_OAUTH } }, encryptionKeys: [randomBytes(32)] };
}

/** Answers oauth.v2.access (by code) and auth.test (by token) for the given teams. */
export function answerOAuthFor(harness: THarness, teams: readonly TOAuthTeam[]): void {
  harness.slack.setResponse('oauth.v2.access', (args): ResponseBody => {
    const team = teams.find((candidate) => candidate.code === args.code);
    if (!team) return { ok: false, error: 'invalid_code' };
    return {
      ok: true,
      app_id: 'A0TEST',
      access_token: team.token,
      token_type: 'bot',
      scope: 'chat:write,commands,im:write,users:read',
      bot_user_id: team.botUserId,
      team: { id: team.teamId, name: team.name },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U0ADMIN01' },
    };
  });
  harness.slack.setResponse('auth.test', (_args, call): ResponseBody => {
    const team = teams.find((candidate) => candidate.token === call.token);
    if (!team) return { ok: false, error: 'invalid_auth' };
    return { ok: true, team_id: team.teamId, team: team.name, user_id: team.botUserId, bot_id: `B${team.teamId}`, is_enterprise_install: false, url: 'https://x.slack.com/' };
  });
}

/** Follows "Add to Slack" as a browser would: the install link, then Slack's redirect back with a code. */
export async function installThroughOAuth(harness: THarness, code: string): Promise<Response> {
  const start = await fetch(`${harness.http.baseUrl}/slack/install`, { redirect: 'manual' });
  const location = start.headers.get('location');
  if (start.status !== 302 || !location) throw new Error(`/slack/install answered ${start.status}`);
  const state = new URL(location).searchParams.get('state') ?? '';
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return fetch(`${harness.http.baseUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, { headers: { cookie } });
}

/** Installs each team and fails the test unless every install page says it worked. */
export async function installTeams(harness: THarness, teams: readonly TOAuthTeam[]): Promise<void> {
  answerOAuthFor(harness, teams);
  for (const team of teams) {
    const page = await installThroughOAuth(harness, team.code);
    if (page.status !== 200) throw new Error(`Installing ${team.name} answered ${page.status}: ${await page.text()}`);
  }
}

/** An interaction payload (view_submission, block_actions, shortcut) as sent from another team by another user. */
export function fromTeam(payload: Record<string, unknown>, teamId: string, userId: string): Record<string, unknown> {
  const user = typeof payload.user === 'object' && payload.user !== null ? payload.user : {};
  const view = typeof payload.view === 'object' && payload.view !== null ? { view: { ...payload.view, team_id: teamId } } : {};
  return { ...payload, team: { id: teamId, domain: teamId.toLowerCase() }, user: { ...user, id: userId, team_id: teamId }, ...view };
}
