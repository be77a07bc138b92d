import type { TRetroRecord } from '../repositories/retros';
import type { TRetroCard } from '../slack/blocks/retro';

export function toRetroCard(retro: TRetroRecord): TRetroCard {
  const { deal } = retro;
  return {
    retroId: retro.id,
    dealName: deal.name,
    amount: deal.amount,
    currency: deal.currency,
    owner: { slackUserId: deal.ownerSlackUserId, name: deal.ownerName, email: deal.ownerEmail },
    competitor: deal.competitor,
    crmLossReason: deal.crmLossReason,
    crmUrl: deal.crmUrl,
    source: deal.source,
    status: retro.status,
    lostOn: deal.lostOn,
    loggedBySlackUserId: deal.loggedBySlackUserId,
    previousLoss: retro.previousRetro ? { lossNumber: retro.previousRetro.lossNumber, threadUrl: retro.previousRetro.permalink } : null,
  };
}
