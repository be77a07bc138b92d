import type { PrismaClient } from '../generated/prisma/client';
import { createActionItemRepository } from './actionItems';
import { createCrmConnectionRepository } from './crmConnections';
import { createCrmDealStateRepository } from './crmDealStates';
import { createDebriefRepository } from './debriefs';
import { createDueActionItemRepository } from './dueActionItems';
import { createDigestDataRepository } from './digestData';
import { createDigestRepository } from './digests';
import { createInstallationRepository } from './installations';
import { createLessonRepository } from './lessons';
import { createLossReasonRepository } from './lossReasons';
import { createPerspectiveRepository } from './perspectives';
import { createProcessedEventRepository } from './processedEvents';
import { createRetroOutcomeRepository } from './retroOutcomes';
import { createRetroRepository } from './retros';
import { createThreadReplyRepository } from './threadReplies';
import { createScheduledJobRepository } from './scheduledJobs';
import { createDeliveryQueue, createSlackDeliveryRepository } from './slackDeliveries';
import { createLibraryRepository } from './library';
import { createSearchRepository } from './search';
import { createWorkspaceRepository } from './workspaces';
import { createWorkspaceDataRepository } from './workspaceData';

/**
 * @param options.defaultTimeZone DEFAULT_TIMEZONE, for workspaces without a zone of their own.
 * @param options.onDeliveriesQueued called after a change that queued Slack deliveries commits (wakes the outbox worker).
 * @param options.peerGroup WORK_THREAD: names the channel on which the process's two threads forget changed cached rows.
 */
export function createRepositories(prisma: PrismaClient, options: { defaultTimeZone?: string; onDeliveriesQueued?: () => void; peerGroup?: string } = {}) {
  // Stored changes that must show in Slack queue their deliveries in the same transaction.
  const deliveryQueue = createDeliveryQueue(prisma, options.onDeliveriesQueued);
  const workspaces = createWorkspaceRepository(prisma, options.defaultTimeZone);
  return {
    workspaces,
    workspaceData: createWorkspaceDataRepository(prisma),
    installations: createInstallationRepository(prisma),
    retros: createRetroRepository(prisma, deliveryQueue),
    debriefs: createDebriefRepository(prisma, deliveryQueue),
    threadReplies: createThreadReplyRepository(prisma),
    perspectives: createPerspectiveRepository(prisma, deliveryQueue),
    retroOutcomes: createRetroOutcomeRepository(prisma, deliveryQueue),
    lessons: createLessonRepository(prisma, deliveryQueue),
    actionItems: createActionItemRepository(prisma),
    processedEvents: createProcessedEventRepository(prisma),
    scheduledJobs: createScheduledJobRepository(prisma),
    slackDeliveries: createSlackDeliveryRepository(prisma, deliveryQueue, (slackTeamId) => workspaces.ensure(slackTeamId)),
    dueActionItems: createDueActionItemRepository(prisma),
    digests: createDigestRepository(prisma),
    digestData: createDigestDataRepository(prisma),
    crmDealStates: createCrmDealStateRepository(prisma),
    crmConnections: createCrmConnectionRepository(prisma),
    search: createSearchRepository(prisma),
    library: createLibraryRepository(prisma),
    lossReasons: createLossReasonRepository(prisma, { peerChannel: options.peerGroup && `debrief:${options.peerGroup}:loss-reasons` }),
  };
}
export type TRepositories = ReturnType<typeof createRepositories>;
