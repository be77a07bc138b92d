import { openDatabase } from '../../../src/db/client';

describe('openDatabase on PGlite', () => {
  it('applies the migrations and answers a ping', async () => {
    const database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
    try {
      expect(await database.ping()).toBe(true);
      expect(await database.prisma.workspace.count()).toBe(0);
    } finally {
      await database.close();
    }
  });
});
