import { HubSpotApiError, hubSpotDealToLostDeal, isHubSpotDealLost, type THubSpotClient, type THubSpotOwner, type THubSpotStageChange } from '../crm/hubspot';
import type { TCrmConfig } from '../config/env';
import { slackErrorCode } from '../errors';
import { buildIntakeFailureNotice } from '../slack/blocks/crmIntake';
import { intakeLoss, intakeReopen, type TIntakeDeps, type TIntakeLossOutcome, type TIntakeReopenOutcome } from './intakeLoss';

// HubSpot's webhook says only "deal 123 moved to stage closedlost", so a loss needs two API
// calls before it is a retro. This runs after HubSpot has been answered.

export interface THubSpotIntakeDeps extends TIntakeDeps {
  hubspot: THubSpotClient;
  config: NonNullable<TCrmConfig['hubspot']>;
}

export type THubSpotIntakeOutcome =
  | TIntakeLossOutcome
  | { outcome: TIntakeReopenOutcome }
  /** HubSpot now shows the deal in another stage: the event was overtaken by a later change. */
  | { outcome: 'no_longer_lost' }
  | { outcome: 'unreadable'; reason: string };

export async function intakeHubSpotStageChange(
  deps: THubSpotIntakeDeps,
  input: { change: THubSpotStageChange; lost: boolean },
): Promise<THubSpotIntakeOutcome> {
  const { change } = input;
  if (!input.lost) {
    return { outcome: await intakeReopen(deps, { source: 'hubspot', externalId: change.dealId, occurredAt: change.occurredAt }) };
  }

  let deal;
  try {
    deal = await deps.hubspot.fetchDeal(change.dealId, { competitorProperty: deps.config.competitorProperty });
  } catch (error) {
    if (!(error instanceof HubSpotApiError)) throw error;
    return reportUnreadable(deps, change, error);
  }
  // The stage may have changed again between the event and the fetch; the later change's own
  // event says what to do then.
  if (!isHubSpotDealLost(deal, deps.config.lostStageIds)) {
    deps.logger.info(`HubSpot deal ${change.dealId} is no longer in a lost stage; its loss event was overtaken.`);
    return { outcome: 'no_longer_lost' };
  }

  const ownerId = deal.properties.hubspot_owner_id?.trim();
  let owner: THubSpotOwner | null = null;
  if (ownerId) {
    try {
      owner = await deps.hubspot.fetchOwner(ownerId);
    } catch (error) {
      if (!(error instanceof HubSpotApiError)) throw error;
      // The loss is worth a retro without its owner; the retro says the owner is unknown.
      deps.logger.warn(`HubSpot owner ${ownerId} of deal ${change.dealId} could not be read: ${error.message}`);
    }
  }

  const lostDeal = hubSpotDealToLostDeal(deal, owner, {
    portalId: change.portalId,
    competitorProperty: deps.config.competitorProperty,
    lostAt: change.occurredAt,
  });
  return intakeLoss(deps, { deal: lostDeal, occurredAt: change.occurredAt });
}

/**
 * HubSpot has been answered already and will not retry, so a deal that cannot be read would
 * otherwise vanish: say so in the retro channel, with a link, as well as in the log.
 */
async function reportUnreadable(deps: THubSpotIntakeDeps, change: THubSpotStageChange, error: HubSpotApiError): Promise<THubSpotIntakeOutcome> {
  deps.logger.error(`HubSpot deal ${change.dealId} was reported lost but could not be read: ${error.message}`);
  if (error.status === 404) return { outcome: 'unreadable', reason: error.message };
  const recordUrl = /^\d+$/.test(change.portalId) ? `https://app.hubspot.com/contacts/${change.portalId}/record/0-3/${change.dealId}` : null;
  try {
    const { slackTeamId, client } = await deps.workspace();
    const workspace = await deps.repos.workspaces.ensure(slackTeamId);
    const channel = workspace.retroChannelId ?? deps.retroChannelId;
    if (!channel) return { outcome: 'unreadable', reason: error.message };
    await client.chat.postMessage({
      channel,
      ...buildIntakeFailureNotice({ crmName: 'HubSpot', dealId: change.dealId, recordUrl, reason: error.message }),
      unfurl_links: false,
    });
  } catch (noticeError) {
    deps.logger.error(`Could not tell the retro channel about HubSpot deal ${change.dealId}: ${slackErrorCode(noticeError) ?? String(noticeError)}`);
  }
  return { outcome: 'unreadable', reason: error.message };
}
