import type { PrismaClient } from '../../src/generated/prisma/client';

// One row of every kind Debrief stores for a workspace, written straight to the database, so the
// export and delete tests can prove that each kind is exported (or deleted) and that another
// workspace's rows never are. `tag` goes into every text, to tell the workspaces' rows apart.

export const SEEDED_SECRET = (tag: string) => `SEALED-CREDENTIALS-${tag}`;

export interface TSeededWorkspace {
  workspaceId: string;
  slackTeamId: string;
  retroId: string;
}

export async function seedWorkspaceData(prisma: PrismaClient, slackTeamId: string, tag: string): Promise<TSeededWorkspace> {
  const at = new Date('2026-11-16T10:00:00Z');
  const workspace = await prisma.workspace.create({
    data: { slackTeamId, name: `Workspace ${tag}`, retroChannelId: 'C0RETRO', competitors: [`Rival ${tag}`], managerUserIds: ['U0MGR0001'], settingsSavedAt: at, settingsSavedBySlackUserId: 'U0ADMIN' },
  });
  const workspaceId = workspace.id;
  await prisma.crmConnection.create({ data: { workspaceId, source: 'hubspot', label: `HubSpot ${tag}`, sealedCredentials: SEEDED_SECRET(tag), createdBySlackUserId: 'U0ADMIN' } });
  await prisma.lossReason.create({ data: { workspaceId, value: 'price', label: `Price ${tag}`, position: 0 } });
  const deal = await prisma.deal.create({ data: { workspaceId, source: 'manual', externalId: `deal-${tag}`, name: `Deal ${tag}`, amount: '12500.50', currency: 'EUR', lostAt: at, competitor: `Rival ${tag}` } });
  await prisma.crmDealState.create({ data: { workspaceId, source: 'hubspot', externalId: `crm-${tag}`, lost: true, changedAt: at } });
  const retro = await prisma.retro.create({ data: { workspaceId, dealId: deal.id, channelId: `C0RETRO${tag.toUpperCase()}`, messageTs: '1700000000.000001', status: 'reviewed' } });
  const retroId = retro.id;
  await prisma.debrief.create({ data: { retroId, authorSlackUserId: 'U0REP', primaryReason: 'price', outcome: 'competitor', wentWrong: `Went wrong ${tag}` } });
  await prisma.perspective.create({ data: { retroId, authorSlackUserId: 'U0SE', role: 'sales_engineer', saw: `Saw ${tag}`, wouldChange: `Change ${tag}` } });
  await prisma.threadReply.create({ data: { retroId, messageTs: '1700000001.000100', authorSlackUserId: 'U0REP', text: `Reply ${tag}`, postedAt: at } });
  const outcome = await prisma.retroOutcome.create({ data: { retroId, primaryReason: 'price', closedBySlackUserId: 'U0MANAGER', closedAt: at } });
  await prisma.retroOutcomeRevision.create({ data: { outcomeId: outcome.id, revision: 1, savedBySlackUserId: 'U0MANAGER', savedAt: at, snapshot: { primaryReason: 'price', lessons: [`Lesson ${tag}`], actionItems: [] } } });
  await prisma.lesson.create({ data: { retroId, text: `Lesson ${tag}`, source: 'outcome', position: 0, createdBySlackUserId: 'U0MANAGER' } });
  await prisma.actionItem.create({ data: { retroId, text: `Action ${tag}`, ownerSlackUserId: 'U0REP', dueOn: new Date('2026-11-30'), position: 0, createdBySlackUserId: 'U0MANAGER' } });
  await prisma.scheduledJob.create({ data: { workspaceId, kind: 'debrief_nudge', key: `debrief_nudge:${retroId}`, dueAt: at, claimedBy: `claim-${tag}` } });
  await prisma.digestSettings.create({ data: { workspaceId, channelId: 'C0DIGEST', weekday: 1, hour: 9, timeZone: 'Europe/Paris', updatedBySlackUserId: 'U0MANAGER' } });
  await prisma.digestRun.create({ data: { workspaceId, channelId: 'C0DIGEST', period: '2026-W47', state: 'posted', claimToken: `token-${tag}`, leaseExpiresAt: at, postedAt: at } });
  await prisma.slackDelivery.create({ data: { workspaceId, kind: 'retro.open', key: `retro.open:${retroId}`, payload: { retroId } } });
  return { workspaceId, slackTeamId, retroId };
}
