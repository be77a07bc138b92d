import { AsyncLocalStorage } from 'node:async_hooks';
import type { TWorkspaceSettings } from '../domain/workspaceSettings';

// The workspace a Slack request comes from, with its settings, for the length of the request.
// Who counts as a manager is asked in many places (team retros, lessons, digests, search, export),
// each with only a client and a user id in hand; reading the request's workspace here lets every
// one of them answer for the right workspace without threading its id through each call.

export interface TRequestWorkspace {
  slackTeamId: string;
  settings: TWorkspaceSettings;
}

const storage = new AsyncLocalStorage<TRequestWorkspace>();

/** Runs `work` (the rest of a request) with `workspace` as the request's workspace. */
export function runInWorkspace<T>(workspace: TRequestWorkspace, work: () => Promise<T>): Promise<T> {
  return storage.run(workspace, work);
}

/** The workspace of the Slack request being handled, or undefined outside one (scheduler, webhooks). */
export function currentRequestWorkspace(): TRequestWorkspace | undefined {
  return storage.getStore();
}
