import { randomBytes } from 'node:crypto';
import { createSecretBox } from '../../../src/lib/secretBox';
import { createConnection, createGenericConnection, MAX_CONNECTIONS_PER_WORKSPACE, resealConnectionSecrets, resolveConnection, resolveGenericConnection } from '../../../src/services/crmConnections';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

describe.each(DATABASE_KINDS)('CRM connections on %s', (kind) => {
  const db = useTestRepositories(kind);
  // One rotation for the whole file: re-sealing reads every row, so every row must open with these.
  const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];

  it('keeps the secret sealed, and re-seals it under a new key after a rotation', async () => {
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

  it('re-seals HubSpot, Salesforce and Pipedrive credentials too, and finds a connection only on its own kind\u2019s route', async () => {
    const workspace = await db.repos.workspaces.ensure('T0ROTATE02');
    const old = { connections: db.repos.crmConnections, secretBox: createSecretBox(oldKey) };
    const base = { workspaceId: workspace.id, createdBySlackUserId: 'U0ADMIN001' };
    const hubspot = await createConnection(old, { ...base, label: 'HubSpot', credentials: { kind: 'hubspot', clientSecret: 'client-secret-0123456789', accessToken: 'pat-na1-0123456789' } });
    const salesforce = await createConnection(old, { ...base, label: 'Salesforce', credentials: { kind: 'salesforce', orgId: '00D5g000004ZkPbEAK' } });
    const pipedrive = await createConnection(old, { ...base, label: 'Pipedrive', credentials: { kind: 'pipedrive' } });
    if (!hubspot.ok || !salesforce.ok || !pipedrive.ok || salesforce.shown.kind !== 'salesforce' || pipedrive.shown.kind !== 'pipedrive') throw new Error('not created');

    const rotated = { connections: db.repos.crmConnections, secretBox: createSecretBox(newKey, [oldKey]) };
    expect(await resealConnectionSecrets(rotated)).toBe(3);
    expect(await resealConnectionSecrets(rotated)).toBe(0);
    const current = { connections: db.repos.crmConnections, secretBox: createSecretBox(newKey) };
    expect(await resolveConnection(current, 'hubspot', hubspot.connection.id)).toEqual({
      id: hubspot.connection.id,
      slackTeamId: 'T0ROTATE02',
      credentials: { kind: 'hubspot', clientSecret: 'client-secret-0123456789', accessToken: 'pat-na1-0123456789' },
    });
    expect((await resolveConnection(current, 'salesforce', salesforce.connection.id))?.credentials).toEqual({ kind: 'salesforce', flowSecret: salesforce.shown.flowSecret, orgId: '00D5g000004ZkPbEAK' });
    expect((await resolveConnection(current, 'pipedrive', pipedrive.connection.id))?.credentials).toEqual({ kind: 'pipedrive', user: pipedrive.shown.user, password: pipedrive.shown.password });
    // Another kind's route does not find it.
    expect(await resolveConnection(current, 'generic', hubspot.connection.id)).toBeNull();
    expect(await resolveConnection(current, 'hubspot', pipedrive.connection.id)).toBeNull();
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
