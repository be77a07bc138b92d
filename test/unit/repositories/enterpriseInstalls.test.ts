import { WebClient } from '@slack/web-api';
import { installationClients, WorkspaceNotInstalledError, type TTeamInstallQuery } from '../../../src/slack/clients';
import { DATABASE_KINDS } from '../../helpers/database';
import { useTestRepositories } from '../../helpers/testRepositories';

// Enterprise Grid: which install serves a workspace outside Slack requests, and what an org-wide
// install's arrival and removal do to the org's workspaces.

const stored = (installKey: string, teamId: string | null, enterpriseId: string | null, isEnterpriseInstall: boolean) => ({ installKey, teamId, enterpriseId, isEnterpriseInstall, sealedInstallation: 'sealed' });
const AT = new Date('2026-11-23T10:00:00Z');

describe.each(DATABASE_KINDS)('installs serving Enterprise Grid workspaces on %s', (kind) => {
  const db = useTestRepositories(kind);

  it("records a workspace's org, creating its row if need be, and again when it moves", async () => {
    await db.repos.workspaces.recordEnterprise('T0NEWGRID', 'E0ORGONE');
    await db.repos.workspaces.recordEnterprise('T0NEWGRID', 'E0ORGONE');
    expect(await db.database.prisma.workspace.findMany({ where: { slackTeamId: 'T0NEWGRID' }, select: { enterpriseId: true } })).toEqual([{ enterpriseId: 'E0ORGONE' }]);
    await db.repos.workspaces.recordEnterprise('T0NEWGRID', 'E0ORGTWO');
    expect((await db.database.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0NEWGRID' } })).enterpriseId).toBe('E0ORGTWO');
  });

  it('records the org of a workspace-level install made in a Grid org', async () => {
    await db.repos.workspaces.ensure('T0GRIDTEAM');
    await db.repos.installations.save(stored('T:T0GRIDTEAM', 'T0GRIDTEAM', 'E0TEAMORG', false));
    expect((await db.database.prisma.workspace.findUniqueOrThrow({ where: { slackTeamId: 'T0GRIDTEAM' } })).enterpriseId).toBe('E0TEAMORG');
  });

  it("serves a workspace with its own install first, else its org's, else none", async () => {
    const { installations, workspaces } = db.repos;
    await installations.save(stored('E:E0SERVE', null, 'E0SERVE', true));
    await installations.save(stored('T:T0OWNINST', 'T0OWNINST', 'E0SERVE', false));
    await workspaces.recordEnterprise('T0OWNINST', 'E0SERVE');
    await workspaces.recordEnterprise('T0ORGONLY', 'E0SERVE');
    await workspaces.recordEnterprise('T0OTHERORG', 'E0NOINSTALL');
    await workspaces.ensure('T0NOORG');

    expect(await installations.installServing('T0OWNINST')).toEqual({ installKey: 'T:T0OWNINST', enterpriseId: null });
    expect(await installations.installServing('T0ORGONLY')).toEqual({ installKey: 'E:E0SERVE', enterpriseId: 'E0SERVE' });
    expect(await installations.installServing('T0OTHERORG')).toBeNull();
    expect(await installations.installServing('T0NOORG')).toBeNull();
    expect(await installations.installServing('T0NEVERSEEN')).toBeNull();
  });

  it("starts the retention clock of the org's workspaces without an install of their own when the org uninstalls, and stops it on reinstall", async () => {
    const { installations, workspaces } = db.repos;
    const prisma = db.database.prisma;
    await installations.save(stored('T:T0KEEPOWN', 'T0KEEPOWN', 'E0LEAVING', false));
    await workspaces.recordEnterprise('T0KEEPOWN', 'E0LEAVING');
    await workspaces.recordEnterprise('T0ORGWS1', 'E0LEAVING');
    await workspaces.recordEnterprise('T0ELSEWHERE', 'E0STAYING');

    await installations.markOrgWorkspacesUninstalled('E0LEAVING', AT);
    const uninstalledAt = async (slackTeamId: string) => (await prisma.workspace.findUniqueOrThrow({ where: { slackTeamId } })).uninstalledAt;
    expect(await uninstalledAt('T0ORGWS1')).toEqual(AT);
    expect(await uninstalledAt('T0KEEPOWN')).toBeNull();
    expect(await uninstalledAt('T0ELSEWHERE')).toBeNull();

    await installations.save(stored('E:E0LEAVING', null, 'E0LEAVING', true));
    expect(await uninstalledAt('T0ORGWS1')).toBeNull();
  });
});

describe('installationClients', () => {
  it("authorizes a workspace of an org-wide install with the org's query, and refuses a workspace nothing serves", async () => {
    const queries: TTeamInstallQuery[] = [];
    const clients = installationClients({
      authorizer: {
        authorize: (query) => {
          queries.push(query);
          return Promise.resolve({ botToken: 'xoxb-org' });
        },
      },
      installFor: (teamId) => Promise.resolve(teamId === 'T0GRID' ? { teamId, enterpriseId: 'E0ORG', isEnterpriseInstall: true } : null),
      clientOptions: {},
    });
    const client = await clients.forTeam('T0GRID');
    expect(client).toBeInstanceOf(WebClient);
    expect(client.token).toBe('xoxb-org');
    expect(queries).toEqual([{ teamId: 'T0GRID', enterpriseId: 'E0ORG', isEnterpriseInstall: true }]);
    await expect(clients.forTeam('T0NOBODY')).rejects.toBeInstanceOf(WorkspaceNotInstalledError);
  });
});
