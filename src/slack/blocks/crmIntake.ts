import type { TDealSource } from '../../domain/lostDeal';
import { formatLongDate } from '../../lib/dates';
import { escapeMrkdwn, linkMrkdwn, truncate } from '../../lib/mrkdwn';
import { LIMITS, context, section } from './elements';
import type { TSlackMessage } from './retro';

// Messages Debrief posts on its own when a CRM reports something about a deal: in a retro's
// thread when the deal is reopened or lost again, and in the retro channel when a loss could not
// be read from the CRM. Nobody is mentioned: these are for the record, not calls to act.

/** "in HubSpot", "in your CRM": where the change happened, as a sentence needs it. */
export function inCrm(source: TDealSource): string {
  switch (source) {
    case 'hubspot':
      return 'in HubSpot';
    case 'salesforce':
      return 'in Salesforce';
    case 'pipedrive':
      return 'in Pipedrive';
    case 'generic':
      return 'in your CRM';
    case 'manual':
      return 'in the CRM';
  }
}

/** The thread note for a deal that left "lost": the retro stays, and says why it went quiet. */
export function buildReopenedNote(input: { source: TDealSource; reopenedOn: string; debriefed: boolean }): TSlackMessage {
  const when = formatLongDate(input.reopenedOn);
  const what = input.debriefed
    ? 'The debrief and this thread stay as they are.'
    : 'No debrief is needed while the deal is open; the thread stays here.';
  const text = `:leftwards_arrow_with_hook: This deal was reopened ${inCrm(input.source)} on ${when}, so it is no longer lost. ${what}`;
  return {
    text: truncate(text, LIMITS.fallbackText),
    blocks: [section(text), context('If it is lost again, a new retro opens and links back to this one.')],
  };
}

/** The note left in the previous loss's thread, pointing at the retro of the new loss. */
export function buildLostAgainNote(input: { lostOn: string; newThreadUrl: string | null }): TSlackMessage {
  const where = input.newThreadUrl ? linkMrkdwn(input.newThreadUrl, 'the new retro') : 'a new retro in this channel';
  const text = `:repeat: This deal was lost again on ${formatLongDate(input.lostOn)}. The debrief for this loss is in ${where}.`;
  return { text: truncate(text, LIMITS.fallbackText), blocks: [section(text)] };
}

/**
 * Posted in the retro channel when a CRM reported a loss but the deal could not be read from it
 * (HubSpot's webhook carries only ids), so that the loss is not silently missing.
 */
export function buildIntakeFailureNotice(input: {
  crmName: string;
  dealId: string;
  recordUrl: string | null;
  /** Safe to show: names the failing call and status, never a token. */
  reason: string;
}): TSlackMessage {
  const deal = input.recordUrl ? linkMrkdwn(input.recordUrl, `deal ${input.dealId}`) : `deal ${escapeMrkdwn(input.dealId)}`;
  const crm = escapeMrkdwn(input.crmName);
  const text =
    `:warning: ${crm} reported ${deal} as lost, but I could not read the deal from ${crm}, so no retro was opened.\n` +
    `>${escapeMrkdwn(truncate(input.reason, 500))}`;
  return {
    text: truncate(`${input.crmName} reported deal ${input.dealId} as lost, but no retro was opened`, LIMITS.fallbackText),
    blocks: [
      section(text),
      context('Log it with `/losses log` (paste the deal link so a later delivery finds the same retro), or fix the problem and move the deal out of lost and back.'),
    ],
  };
}
