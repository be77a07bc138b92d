import type { PrismaClient } from '../generated/prisma/client';
import { createActionItemRepository } from './actionItems';
import { createDebriefRepository } from './debriefs';
import { createLessonRepository } from './lessons';
import { createPerspectiveRepository } from './perspectives';
import { createProcessedEventRepository } from './processedEvents';
import { createRetroOutcomeRepository } from './retroOutcomes';
import { createRetroRepository } from './retros';
import { createThreadReplyRepository } from './threadReplies';
import { createWorkspaceRepository } from './workspaces';

export function createRepositories(prisma: PrismaClient) {
  return {
    workspaces: createWorkspaceRepository(prisma),
    retros: createRetroRepository(prisma),
    debriefs: createDebriefRepository(prisma),
    threadReplies: createThreadReplyRepository(prisma),
    perspectives: createPerspectiveRepository(prisma),
    retroOutcomes: createRetroOutcomeRepository(prisma),
    lessons: createLessonRepository(prisma),
    actionItems: createActionItemRepository(prisma),
    processedEvents: createProcessedEventRepository(prisma),
  };
}
export type TRepositories = ReturnType<typeof createRepositories>;
