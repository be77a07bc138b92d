import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { NotReadyError } from '../outbox/retryPolicy';
import { postOnce } from '../outbox/slackWrites';
import type { TDeliveryHandler } from '../outbox/worker';
import type { TDeliveryRequest } from '../repositories/slackDeliveries';
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
 * Stores a teammate's perspective, with the delivery that shows it in the thread. Saving again
 * edits the stored answers and the same thread message in place, so the thread never holds two versions.
 */
export async function recordPerspective(
  deps: TPerspectiveDeps,
  input: { retroId: string; slackUserId: string; answers: TPerspectiveAnswers; scope: TWorkspaceScope },
): Promise<{ revision: number; messageTs: string | null }> {
  const retro = await deps.repos.retros.findById(input.retroId, input.scope);
  if (!retro) throw retroNotFound();
  const perspective = await deps.repos.perspectives.upsert(retro.id, input.slackUserId, input.answers, {
    deliveries: () => [perspectiveDelivery(retro, input.slackUserId)],
  });
  // The thread message goes out through the outbox.
  return { revision: perspective.revision, messageTs: perspective.messageTs };
}

export const PERSPECTIVE_KIND = 'perspective.post';

/** Shows a teammate's perspective in the thread: one delivery per author and retro, armed again by every edit. */
export function perspectiveDelivery(retro: Pick<TRetroRecord, 'id' | 'workspaceId'>, authorSlackUserId: string): TDeliveryRequest {
  return {
    workspaceId: retro.workspaceId,
    kind: PERSPECTIVE_KIND,
    key: `${PERSPECTIVE_KIND}:${retro.id}:${authorSlackUserId}`,
    payload: { retroId: retro.id, authorSlackUserId },
  };
}

const ZPerspectivePayload = z.object({ retroId: z.string(), authorSlackUserId: z.string() });

/** Posts the perspective in the thread, or updates it in place, from what is stored now. */
export const perspectiveHandler: TDeliveryHandler = {
  async deliver(context) {
    const { repos, client } = context;
    const { retroId, authorSlackUserId } = ZPerspectivePayload.parse(context.delivery.payload);
    const retro = await repos.retros.findById(retroId, { workspaceId: context.delivery.workspaceId });
    const perspective = retro ? await repos.perspectives.find(retro.id, authorSlackUserId) : null;
    if (!retro || !perspective) return;
    if (!retro.messageTs) throw new NotReadyError(`Retro ${retro.id} has no thread yet`);
    const message = buildPerspectiveMessage({
      retroId: retro.id,
      dealName: retro.deal.name,
      authorSlackUserId,
      answers: perspective.answers,
      revision: perspective.revision,
    });
    if (perspective.messageTs) {
      await client.chat.update({ channel: retro.channelId, ts: perspective.messageTs, ...message });
      return;
    }
    const messageTs = await postOnce(context, `${PERSPECTIVE_KIND}:${retro.id}:${authorSlackUserId}`, { channel: retro.channelId, thread_ts: retro.messageTs, ...message });
    await repos.perspectives.setMessageTs(perspective.id, messageTs);
  },
};
