import type { PrismaClient } from '../generated/prisma/client';
import { isUniqueViolation } from './errors';

export function createProcessedEventRepository(prisma: PrismaClient) {
  return {
    /** Records an event id; false when it was already recorded, i.e. this is a redelivery. */
    async claim(eventId: string): Promise<boolean> {
      try {
        await prisma.processedEvent.create({ data: { eventId } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async release(eventId: string): Promise<void> {
      await prisma.processedEvent.deleteMany({ where: { eventId } });
    },

    async deleteOlderThan(cutoff: Date): Promise<number> {
      const { count } = await prisma.processedEvent.deleteMany({ where: { processedAt: { lt: cutoff } } });
      return count;
    },
  };
}
export type TProcessedEventRepository = ReturnType<typeof createProcessedEventRepository>;
