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
import { createLibraryRepository } from './library';
import { createSearchRepository } from './search';
import { createWorkspaceRepository } from './workspaces';
import { createWorkspaceDataRepository } from './workspaceData';

/** @param options.defaultTimeZone DEFAULT_TIMEZONE, for workspaces without a zone of their own. */
export function createRepositories(prisma: PrismaClient, options: { defaultTimeZone?: string } = {}) {
  return {
    workspaces: createWorkspaceRepository(prisma, options.defaultTimeZone),
    workspaceData: createWorkspaceDataRepository(prisma),
    installations: createInstallationRepository(prisma),
    retros: createRetroRepository(prisma),
    debriefs: createDebriefRepository(prisma),
    threadReplies: createThreadReplyRepository(prisma),
    perspectives: createPerspectiveRepository(prisma),
    retroOutcomes: createRetroOutcomeRepository(prisma),
    lessons: createLessonRepository(prisma),
    actionItems: createActionItemRepository(prisma),
    processedEvents: createProcessedEventRepository(prisma),
    scheduledJobs: createScheduledJobRepository(prisma),
    dueActionItems: createDueActionItemRepository(prisma),
    digests: createDigestRepository(prisma),
    digestData: createDigestDataRepository(prisma),
    crmDealStates: createCrmDealStateRepository(prisma),
    crmConnections: createCrmConnectionRepository(prisma),
    search: createSearchRepository(prisma),
    library: createLibraryRepository(prisma),
    lossReasons: createLossReasonRepository(prisma),
  };
}
export type TRepositories = ReturnType<typeof createRepositories>;
