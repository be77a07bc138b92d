import type { PrismaClient } from '../generated/prisma/client';
import { createDebriefRepository } from './debriefs';
import { createProcessedEventRepository } from './processedEvents';
import { createRetroRepository } from './retros';
import { createThreadReplyRepository } from './threadReplies';
import { createWorkspaceRepository } from './workspaces';

export function createRepositories(prisma: PrismaClient) {
  return {
    workspaces: createWorkspaceRepository(prisma),
    retros: createRetroRepository(prisma),
    debriefs: createDebriefRepository(prisma),
    threadReplies: createThreadReplyRepository(prisma),
    processedEvents: createProcessedEventRepository(prisma),
  };
}
export type TRepositories = ReturnType<typeof createRepositories>;
