import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../../src/lib/secretBox';
import { createGenericConnection, MAX_CONNECTIONS_PER_WORKSPACE, resealConnectionSecrets, resolveGenericConnection } from '../../../src/services/crmConnections';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

describe.each(DATABASE_KINDS)('CRM connections on %s', (kind) => {
  const db = useTestRepositories(kind);

  it('keeps the secret sealed, and re-seals it under a new key after a rotation', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const workspace = await db.repos.workspaces.ensure('T0ROTATE01');
    const created = await createGenericConnection({ connections: db.repos.crmConnections, secretBox: createSecretBox(oldKey) }, { workspaceId: workspace.id, label: 'Zapier', createdBySlackUserId: 'U0ADMIN001' });
    if (!created.ok) throw new Error(created.problem);

    const rotated = createSecretBox(newKey, [oldKey]);
    expect(await resealConnectionSecrets({ connections: db.repos.crmConnections, secretBox: rotated })).toBe(1);
    expect(await resealConnectionSecrets({ connections: db.repos.crmConnections, secretBox: rotated })).toBe(0);
    // Only the new key is needed now.
    const resolved = await resolveGenericConnection({ connections: db.repos.crmConnections, secretBox: createSecretBox(newKey) }, created.connection.id);
    expect(resolved).toEqual({ slackTeamId: 'T0ROTATE01', signingSecret: created.signingSecret });
  });

  it('stops at the per-workspace limit, and forgets connections of uninstalled workspaces', async () => {
    const box = createSecretBox(randomBytes(32));
    const workspace = await db.repos.workspaces.ensure('T0LIMIT001');
    for (let index = 0; index < MAX_CONNECTIONS_PER_WORKSPACE; index += 1) {
      expect((await createGenericConnection({ connections: db.repos.crmConnections, secretBox: box }, { workspaceId: workspace.id, label: `C${index}`, createdBySlackUserId: 'U0ADMIN001' })).ok).toBe(true);
    }
    const refused = await createGenericConnection({ connections: db.repos.crmConnections, secretBox: box }, { workspaceId: workspace.id, label: 'One too many', createdBySlackUserId: 'U0ADMIN001' });
    expect(refused).toEqual({ ok: false, problem: expect.stringContaining('revoke one') });

    const [first] = await db.repos.crmConnections.listActive(workspace.id);
    await db.repos.installations.markWorkspaceUninstalled('T0LIMIT001', new Date());
    await expect(db.repos.crmConnections.findActive(first!.id)).resolves.toBeNull();
  });
});
