import { randomBytes } from 'node:crypto';
import { openDatabase, type TDatabase } from '../../../src/db/client';
import { createSecretBox } from '../../../src/lib/secretBox';
import { createRepositories, type TRepositories } from '../../../src/repositories';
import { createGenericConnection, MAX_CONNECTIONS_PER_WORKSPACE, resealConnectionSecrets, resolveGenericConnection } from '../../../src/services/crmConnections';
import { createTestDatabase, DATABASE_KINDS, type TTestDatabase } from '../../helpers/database';

describe.each(DATABASE_KINDS)('CRM connections on %s', (kind) => {
  let testDatabase: TTestDatabase;
  let database: TDatabase;
  let repos: TRepositories;

  beforeAll(async () => {
    testDatabase = await createTestDatabase(kind);
    database = await openDatabase(testDatabase.config);
    repos = createRepositories(database.prisma);
  });
  afterAll(async () => {
    await database?.close();
    await testDatabase?.drop();
  });

  it('keeps the secret sealed, and re-seals it under a new key after a rotation', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const workspace = await repos.workspaces.ensure('T0ROTATE01');
    const created = await createGenericConnection({ connections: repos.crmConnections, secretBox: createSecretBox(oldKey) }, { workspaceId: workspace.id, label: 'Zapier', createdBySlackUserId: 'U0ADMIN001' });
    if (!created.ok) throw new Error(created.problem);

    const rotated = createSecretBox(newKey, [oldKey]);
    expect(await resealConnectionSecrets({ connections: repos.crmConnections, secretBox: rotated })).toBe(1);
    expect(await resealConnectionSecrets({ connections: repos.crmConnections, secretBox: rotated })).toBe(0);
    // Only the new key is needed now.
    const resolved = await resolveGenericConnection({ connections: repos.crmConnections, secretBox: createSecretBox(newKey) }, created.connection.id);
    expect(resolved).toEqual({ slackTeamId: 'T0ROTATE01', signingSecret: created.signingSecret });
  });

  it('stops at the per-workspace limit, and forgets connections of uninstalled workspaces', async () => {
    const box = createSecretBox(randomBytes(32));
    const workspace = await repos.workspaces.ensure('T0LIMIT001');
    for (let index = 0; index < MAX_CONNECTIONS_PER_WORKSPACE; index += 1) {
      expect((await createGenericConnection({ connections: repos.crmConnections, secretBox: box }, { workspaceId: workspace.id, label: `C${index}`, createdBySlackUserId: 'U0ADMIN001' })).ok).toBe(true);
    }
    const refused = await createGenericConnection({ connections: repos.crmConnections, secretBox: box }, { workspaceId: workspace.id, label: 'One too many', createdBySlackUserId: 'U0ADMIN001' });
    expect(refused).toEqual({ ok: false, problem: expect.stringContaining('revoke one') });

    const [first] = await repos.crmConnections.listActive(workspace.id);
    await repos.installations.markWorkspaceUninstalled('T0LIMIT001', new Date());
    await expect(repos.crmConnections.findActive(first!.id)).resolves.toBeNull();
  });
});
