import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { createEnterpriseMembership } from '../../services/enterpriseMembership';
import { runInWorkspace } from '../requestWorkspace';
import type { TListenerDeps } from './deps';

/**
 * Global middleware: the rest of the request runs knowing its workspace and that workspace's
 * settings (managers above all; see requestWorkspace.ts). A request Bolt could not tie to a team
 * (an org-level event) runs with the deployment's defaults. A workspace of an Enterprise Grid org
 * has its org recorded, for the org-wide install's token in work outside requests.
 */
export function createWorkspaceContextMiddleware(deps: Pick<TListenerDeps, 'workspaceSettings' | 'logger' | 'repos'>): Middleware<AnyMiddlewareArgs> {
  const enterprises = createEnterpriseMembership({ repos: deps.repos });
  return async ({ context, next }) => {
    const slackTeamId = context.teamId;
    if (!slackTeamId) {
      await next();
      return;
    }
    // Recorded beside the request rather than before it: a database write must not delay the ack.
    // Not fatal: the request itself is served either way; the next one records it.
    const recording = context.enterpriseId
      ? enterprises.record(slackTeamId, context.enterpriseId).catch((error: unknown) => deps.logger.warn(`Could not record the org of workspace ${slackTeamId}`, error))
      : undefined;
    try {
      let settings;
      try {
        settings = await deps.workspaceSettings.ofTeam(slackTeamId);
      } catch (error) {
        // The listener itself will meet the same database trouble and answer for it.
        deps.logger.warn(`Could not read the settings of workspace ${slackTeamId}; using the defaults`, error);
        await next();
        return;
      }
      await runInWorkspace({ slackTeamId, settings }, next);
    } finally {
      await recording;
    }
  };
}
