import type { WebClient } from '@slack/web-api';
import type { TPerspectiveAnswers } from '../domain/teamRetro';
import { AppError } from '../errors';
import type { TLogger } from '../lib/logger';
import type { TRepositories } from '../repositories';
import type { TRetroRecord } from '../repositories/retros';
import type { TWorkspaceScope } from '../repositories/scope';
import { buildPerspectiveMessage } from '../slack/blocks/perspective';

export interface TPerspectiveDeps {
  repos: TRepositories;
  client: WebClient;
  logger: TLogger;
}

function retroNotFound(): AppError {
  return new AppError('retro_not_found', 'This retro no longer exists, so there is nothing to add to.');
}

/** What the perspective modal needs: the retro, and the person's earlier answers when editing. */
export async function loadPerspectiveForm(
  deps: { repos: TRepositories },
  input: { retroId: string; slackUserId: string; scope: TWorkspaceScope },
): Promise<{ retro: TRetroRecord; existing: TPerspectiveAnswers | null }> {
  // The retro first: its id came from a button, and only a retro of this workspace may be read on.
  const retro = await deps.repos.retros.findById(input.retroId, input.scope);
  if (!retro) throw retroNotFound();
  const existing = await deps.repos.perspectives.find(retro.id, input.slackUserId);
  return { retro, existing: existing?.answers ?? null };
}

/**
 * Stores a teammate's perspective and shows it in the thread. Saving again edits the stored
 * answers and the same thread message in place, so the thread never holds two versions.
 */
export async function recordPerspective(
  deps: TPerspectiveDeps,
  input: { retroId: string; slackUserId: string; answers: TPerspectiveAnswers; scope: TWorkspaceScope },
): Promise<{ revision: number; messageTs: string | null }> {
  const retro = await deps.repos.retros.findById(input.retroId, input.scope);
  if (!retro) throw retroNotFound();
  const perspective = await deps.repos.perspectives.upsert(retro.id, input.slackUserId, input.answers);
  const message = buildPerspectiveMessage({
    retroId: retro.id,
    dealName: retro.deal.name,
    authorSlackUserId: input.slackUserId,
    answers: perspective.answers,
    revision: perspective.revision,
  });
  let messageTs = perspective.messageTs;
  if (messageTs) {
    await deps.client.chat.update({ channel: retro.channelId, ts: messageTs, ...message });
  } else if (retro.messageTs) {
    const posted = await deps.client.chat.postMessage({ channel: retro.channelId, thread_ts: retro.messageTs, ...message });
    messageTs = posted.ts ?? null;
    if (messageTs) await deps.repos.perspectives.setMessageTs(perspective.id, messageTs);
  }
  return { revision: perspective.revision, messageTs };
}
