import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { forgetRevokedTokens, forgetUninstalledWorkspace, type TTeamRef } from '../../../services/uninstall';
import type { TListenerDeps } from '../deps';

const ZTeamOfEnvelope = z.object({
  team_id: z.string().optional(),
  enterprise_id: z.string().nullish(),
  is_enterprise_install: z.boolean().optional(),
  authorizations: z.array(z.object({ team_id: z.string().nullish(), enterprise_id: z.string().nullish(), is_enterprise_install: z.boolean().optional() })).optional(),
});

const ZTokensRevoked = z.object({ tokens: z.object({ bot: z.array(z.string()).default([]), oauth: z.array(z.string()).default([]) }) });

function teamOf(body: unknown): TTeamRef {
  const envelope = ZTeamOfEnvelope.parse(body);
  const authorization = envelope.authorizations?.[0];
  const isEnterpriseInstall = authorization?.is_enterprise_install ?? envelope.is_enterprise_install ?? false;
  return {
    teamId: authorization?.team_id ?? envelope.team_id ?? null,
    enterpriseId: authorization?.enterprise_id ?? envelope.enterprise_id ?? null,
    isEnterpriseInstall,
  };
}

function depsOf(deps: TListenerDeps) {
  return { repos: deps.repos, logger: deps.logger, now: deps.now ?? (() => new Date()) };
}

export function createAppUninstalledHandler(deps: TListenerDeps) {
  return async ({ body }: SlackEventMiddlewareArgs<'app_uninstalled'> & AllMiddlewareArgs): Promise<void> => {
    await forgetUninstalledWorkspace(depsOf(deps), teamOf(body));
  };
}

export function createTokensRevokedHandler(deps: TListenerDeps) {
  return async ({ body, event }: SlackEventMiddlewareArgs<'tokens_revoked'> & AllMiddlewareArgs): Promise<void> => {
    await forgetRevokedTokens(depsOf(deps), teamOf(body), ZTokensRevoked.parse(event).tokens);
  };
}
