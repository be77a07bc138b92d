import type { WebClient } from '@slack/web-api';
import { canonicalExternalId, withCrmIdentity } from '../crm/recordUrl';
import type { TIntakeResult } from '../crm/types';
import type { TDealSource, TLostDeal } from '../domain/lostDeal';
import { slackErrorCode } from '../errors';
import { toIsoDate } from '../lib/dates';
import { createKeyedLock, type TKeyedLock } from '../lib/keyedLock';
import type { TLogger } from '../lib/logger';
import { createTtlCache, type TTtlCache } from '../lib/ttlCache';
import type { TRepositories } from '../repositories';
import type { TRetroRecord } from '../repositories/retros';
import { retroDelivery, ZRetroDeliveryPayload, type TDeliveryRequest } from '../repositories/slackDeliveries';
import { NotReadyError } from '../outbox/retryPolicy';
import { postOnce, unlessPermanent } from '../outbox/slackWrites';
import type { TDeliveryHandler } from '../outbox/worker';
import { buildReopenedNote } from '../slack/blocks/crmIntake';
import type { TSlackClients } from '../slack/clients';
import { buildRetroParentMessage } from '../slack/blocks/retro';
import { openRetro, retroOpening } from './openRetro';
import type { TDebriefNudgeSettings } from './reminders/debriefNudges';
import { toRetroCard } from './retroCard';

// Losses (and reopens) reported by a CRM, from whichever adapter parsed them, to a retro thread.
// Opening the retro itself is openRetro's job; this adds what only automatic intake needs:
// finding the owner in Slack, ordering deliveries, and telling a thread its deal was reopened.

/** The Slack workspace CRM losses go to, with a client authorised in it. */
export interface TIntakeWorkspace {
  slackTeamId: string;
  client: WebClient;
}

export interface TIntakeDeps {
  repos: TRepositories;
  logger: TLogger;
  /** RETRO_CHANNEL, for workspaces that chose no channel of their own. */
  retroChannelId: string | undefined;
  now: () => Date;
  /** Webhooks carry no Slack team: this says which workspace they are for. */
  workspace: () => Promise<TIntakeWorkspace>;
  /** One delivery per deal at a time: a CRM's retry racing its first attempt must not post twice. */
  dealLocks: TKeyedLock;
  /** "team:e-mail" (lower-cased) to Slack user id, or null when nobody in Slack has that e-mail. */
  slackUsersByEmail: TTtlCache<string, string | null>;
  /** DEBRIEF_NUDGE_AFTER, for the owner's reminders scheduled when a retro opens. */
  reminders?: TDebriefNudgeSettings;
}

// A person found stays found for a while; someone not found may join Slack tomorrow.
const FOUND_USER_TTL_MS = 6 * 60 * 60 * 1000;
const MISSING_USER_TTL_MS = 10 * 60 * 1000;

export function createIntakeDeps(base: Pick<TIntakeDeps, 'repos' | 'logger' | 'retroChannelId' | 'workspace' | 'reminders'> & { now?: () => Date }): TIntakeDeps {
  return {
    ...base,
    now: base.now ?? (() => new Date()),
    dealLocks: createKeyedLock(),
    slackUsersByEmail: createTtlCache({ maxEntries: 5000 }),
  };
}

/** The one workspace a bot token belongs to, asked of Slack (auth.test) once. */
export function tokenWorkspace(client: WebClient): () => Promise<TIntakeWorkspace> {
  let workspace: Promise<TIntakeWorkspace> | undefined;
  return () => {
    workspace ??= client.auth.test().then((auth) => {
      if (!auth.team_id) throw new Error('auth.test answered without a team_id');
      return { slackTeamId: auth.team_id, client };
    });
    // A failed lookup (Slack briefly down) is asked again by the next delivery.
    workspace.catch(() => {
      workspace = undefined;
    });
    return workspace;
  };
}

/**
 * With OAuth installs the deployment-wide webhooks (HUBSPOT_*, SALESFORCE_*, PIPEDRIVE_*,
 * WEBHOOK_SIGNING_SECRET) name no workspace: losses go to the one workspace Debrief is installed
 * in. With several installs, deliveries fail (500, logged, the CRM retries) rather than post a
 * team's losses in another team's Slack; each workspace then uses its own generic-webhook
 * connection (/webhooks/generic/<connection id>, made in /losses settings), whose URL names it.
 */
export function soleInstalledWorkspace(options: { installedTeamIds: () => Promise<string[]>; clients: TSlackClients }): () => Promise<TIntakeWorkspace> {
  return async () => {
    const teamIds = [...new Set(await options.installedTeamIds())];
    const [slackTeamId] = teamIds;
    if (teamIds.length !== 1 || slackTeamId === undefined) {
      throw new Error(
        teamIds.length === 0
          ? 'CRM intake has no workspace: Debrief is not installed in any Slack workspace yet'
          : `CRM intake needs exactly one Slack workspace, but Debrief is installed in ${teamIds.length} (${teamIds.join(', ')})`,
      );
    }
    return { slackTeamId, client: await options.clients.forTeam(slackTeamId) };
  };
}

export type TIntakeLossOutcome =
  | { outcome: 'opened'; retro: TRetroRecord; permalink: string | null }
  /** The same loss again (a retry, another CRM, a hand log): the retro it already has. */
  | { outcome: 'already_open'; retro: TRetroRecord; permalink: string | null }
  /** The CRM has since reported a later change of this deal; this delivery is out of date. */
  | { outcome: 'stale' };

export type TIntakeReopenOutcome = 'marked' | 'already_reopened' | 'no_retro' | 'stale';

function dealKey(teamId: string, source: TDealSource, externalId: string): string {
  return `${teamId}:${source}:${externalId}`;
}

/**
 * Opens the retro for a loss a CRM reported at `occurredAt`, once: duplicates get the retro
 * already open, a loss older than a reopen already applied changes nothing, and a deal lost
 * again after a reopen gets a new retro linked to the previous one.
 */
export async function intakeLoss(deps: TIntakeDeps, input: { deal: TLostDeal; occurredAt: Date }): Promise<TIntakeLossOutcome> {
  const { slackTeamId: teamId, client } = await deps.workspace();
  const deal = withCrmIdentity(input.deal);
  return deps.dealLocks.run(dealKey(teamId, deal.source, deal.externalId), async () => {
    const workspace = await deps.repos.workspaces.ensure(teamId);
    const order = await deps.repos.crmDealStates.recordChange(workspace.id, deal.source, deal.externalId, { lost: true, at: input.occurredAt });
    if (order === 'stale') {
      deps.logger.info(`Ignored a stale loss of ${deal.source}:${deal.externalId}: a later change of the deal was already reported.`);
      return { outcome: 'stale' };
    }

    const owned = await withSlackOwner({ ...deps, client, teamId }, deal);
    const opened = await openRetro(
      { repos: deps.repos, client, logger: deps.logger, now: deps.now, reminders: deps.reminders },
      { slackTeamId: teamId, channelId: deps.retroChannelId, deal: owned },
    );
    if (!opened.created) return { outcome: 'already_open', retro: opened.retro, permalink: opened.permalink };
    // The thread, the owner's DM and the note in the previous loss's thread go out through the
    // outbox. The CRM's answer (and a reopen of the same deal right behind it) waits a moment
    // for it, so that when Slack is well the thread is open by then; when not, it follows.
    const delivered = await deps.repos.slackDeliveries.settled(retroOpening(opened.retro).key, OPENING_WAIT_MS);
    if (delivered) {
      const retro = await deps.repos.retros.findById(opened.retro.id, { workspaceId: opened.retro.workspaceId });
      if (retro) return { outcome: 'opened', retro, permalink: retro.permalink };
    }
    return { outcome: 'opened', retro: opened.retro, permalink: opened.permalink };
  });
}

/**
 * Marks the retro of a deal that left "lost" reopened: its parent message shows it and a note
 * in the thread says why. Nothing is deleted. A deal Debrief never saw lost has nothing to mark.
 */
export async function intakeReopen(
  deps: TIntakeDeps,
  input: { source: TDealSource; externalId: string; occurredAt: Date },
): Promise<TIntakeReopenOutcome> {
  const { slackTeamId: teamId } = await deps.workspace();
  const externalId = canonicalExternalId(input.source, input.externalId);
  return deps.dealLocks.run(dealKey(teamId, input.source, externalId), async () => {
    const workspace = await deps.repos.workspaces.ensure(teamId);
    // Recorded even without a retro, so that a loss delivered after this reopen (a retry of an
    // older delivery) is recognised as stale instead of opening a retro for an open deal.
    const order = await deps.repos.crmDealStates.recordChange(workspace.id, input.source, externalId, { lost: false, at: input.occurredAt });
    if (order === 'stale') {
      deps.logger.info(`Ignored a stale reopen of ${input.source}:${externalId}: a later change of the deal was already reported.`);
      return 'stale';
    }
    const marked = await deps.repos.retros.markReopened(workspace.id, input.source, externalId, input.occurredAt, { deliveries: (retro) => [retroReopening(retro)] });
    if (marked.outcome !== 'marked') return marked.outcome;

    const { retro } = marked;
    // The parent's status and the note in the thread go out through the outbox; the CRM's answer
    // waits a moment for them, as for an opening.
    await deps.repos.slackDeliveries.settled(retroReopening(retro).key, OPENING_WAIT_MS);
    deps.logger.info(`Retro ${retro.id} marked reopened: ${input.source}:${externalId} left lost.`);
    return 'marked';
  });
}

export type TIntakeSummary = {
  opened: string[];
  alreadyOpen: string[];
  reopened: string[];
  /** Reopen candidates without a retro, or whose retro was already marked. */
  unchanged: string[];
  stale: string[];
  ignored: string[];
};

/**
 * Applies everything one webhook delivery reported, one deal after another (Slack limits posting
 * to about one message a second per channel). The first failure is thrown, so the route answers
 * an error and the CRM retries the delivery; what was done before it is idempotent.
 */
export async function intakeCrmDelivery(
  deps: TIntakeDeps,
  input: { results: readonly TIntakeResult[]; receivedAt: Date },
): Promise<TIntakeSummary> {
  const summary: TIntakeSummary = { opened: [], alreadyOpen: [], reopened: [], unchanged: [], stale: [], ignored: [] };
  for (const result of input.results) {
    if (result.kind === 'ignored') {
      summary.ignored.push(result.reason);
      continue;
    }
    if (result.kind === 'lost') {
      for (const deal of result.deals) {
        const occurredAt = result.occurredAt?.[deal.externalId] ?? input.receivedAt;
        const outcome = await intakeLoss(deps, { deal, occurredAt });
        const stored = withCrmIdentity(deal);
        const id = `${stored.source}:${stored.externalId}`;
        if (outcome.outcome === 'opened') summary.opened.push(id);
        else if (outcome.outcome === 'already_open') summary.alreadyOpen.push(id);
        else summary.stale.push(id);
      }
      continue;
    }
    for (const externalId of result.externalIds) {
      const occurredAt = result.occurredAt?.[externalId] ?? input.receivedAt;
      const outcome = await intakeReopen(deps, { source: result.source, externalId, occurredAt });
      const id = `${result.source}:${canonicalExternalId(result.source, externalId)}`;
      if (outcome === 'marked') summary.reopened.push(id);
      else if (outcome === 'stale') summary.stale.push(id);
      else summary.unchanged.push(id);
    }
  }
  return summary;
}

type TOwnerLookupDeps = Pick<TIntakeDeps, 'logger' | 'slackUsersByEmail'> & { client: WebClient; teamId: string };

/** The deal with its owner's Slack user, found by e-mail; unchanged when nobody matches. */
async function withSlackOwner(deps: TOwnerLookupDeps, deal: TLostDeal): Promise<TLostDeal> {
  if (deal.owner.slackUserId || !deal.owner.email) return deal;
  const slackUserId = await findSlackUserByEmail(deps, deal.owner.email);
  return slackUserId ? { ...deal, owner: { ...deal.owner, slackUserId } } : deal;
}

/** users.lookupByEmail, cached; null when nobody (active, human) in the workspace has the e-mail. */
export async function findSlackUserByEmail(deps: TOwnerLookupDeps, email: string): Promise<string | null> {
  const address = email.trim().toLowerCase();
  const key = `${deps.teamId}:${address}`;
  const cached = deps.slackUsersByEmail.get(key);
  if (cached !== undefined) return cached;
  try {
    const found = await deps.client.users.lookupByEmail({ email: address });
    const user = found.user;
    const slackUserId = user?.id && !user.deleted && !user.is_bot ? user.id : null;
    deps.slackUsersByEmail.set(key, slackUserId, slackUserId ? FOUND_USER_TTL_MS : MISSING_USER_TTL_MS);
    return slackUserId;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === 'users_not_found') {
      deps.slackUsersByEmail.set(key, null, MISSING_USER_TTL_MS);
      deps.logger.debug('No Slack user has the deal owner’s e-mail; the retro names the owner in text.');
      return null;
    }
    // Not cached: a missing scope or an outage should not hide the owner for hours once fixed.
    const hint = code === 'missing_scope' ? ' (the Slack app needs the users:read.email scope; reinstall it from slack-manifest.yml)' : '';
    deps.logger.warn(`users.lookupByEmail failed: ${code ?? String(error)}${hint}. The retro names the owner in text.`);
    return null;
  }
}

/** For messages that add to a retro already stored: a failure is logged, the intake goes on. */
export const RETRO_REOPENING_KIND = 'retro.reopened';

function retroReopening(retro: Pick<TRetroRecord, 'id' | 'workspaceId'>): TDeliveryRequest {
  return retroDelivery(RETRO_REOPENING_KIND, retro);
}

/** Shows a reopen in Slack: the parent message's status, and a note in the thread saying why. */
export const retroReopeningHandler: TDeliveryHandler = {
  async deliver(context) {
    const { repos, client, logger } = context;
    const { retroId } = ZRetroDeliveryPayload.parse(context.delivery.payload);
    const retro = await repos.retros.findById(retroId, { workspaceId: context.delivery.workspaceId });
    // No thread yet: its opening (queued first) posts the parent with the reopened status, and the note waits for it.
    if (!retro) return;
    if (!retro.messageTs) throw new NotReadyError(`Retro ${retro.id} has no thread yet`);
    const ts = retro.messageTs;
    await unlessPermanent(logger, `update the parent message of retro ${retro.id}`, () =>
      client.chat.update({ channel: retro.channelId, ts, ...buildRetroParentMessage(toRetroCard(retro)) }),
    );
    const debriefed = (await repos.debriefs.listForRetro(retro.id)).length > 0;
    const reopenedOn = toIsoDate(retro.reopenedAt ?? new Date());
    await postOnce(context, `retro.reopen_note:${retro.id}`, { channel: retro.channelId, thread_ts: ts, ...buildReopenedNote({ source: retro.deal.source, reopenedOn, debriefed }) });
  },
};

/** How long intake waits for a new retro's thread before answering the CRM without it. */
const OPENING_WAIT_MS = 3000;

