/**
 * The workspace a lookup is confined to. Every id that arrives from outside (a button's value, a
 * modal's private_metadata, a thread ts) is looked up together with the workspace of the request
 * that carried it, so that one workspace can never reach another's data by naming its ids. Work
 * outside requests scopes by the workspace row its job belongs to.
 */
export type TWorkspaceScope = { slackTeamId: string } | { workspaceId: string };

/** The Prisma condition for rows that belong to the scope's workspace (on a model with workspaceId). */
export function workspaceWhere(scope: TWorkspaceScope): { workspaceId: string } | { workspace: { slackTeamId: string } } {
  return 'workspaceId' in scope ? { workspaceId: scope.workspaceId } : { workspace: { slackTeamId: scope.slackTeamId } };
}
