import type { TCrmConfig } from '../config/env';
import type { THubSpotClient } from '../crm/hubspot';
import type { TIntakeResult } from '../crm/types';
import { runWithin, type TBackgroundTasks } from '../lib/backgroundTasks';
import type { TLogger } from '../lib/logger';
import { intakeCrmDelivery, type TIntakeDeps, type TIntakeSummary } from '../services/intakeLoss';
import type { TConnectionWebhookDeps } from './connections';

/** What every webhook handler may use. */
export interface TWebhookDeps {
  crm: TCrmConfig;
  intake: TIntakeDeps;
  logger: TLogger;
  backgroundTasks: TBackgroundTasks;
  /** Set when HubSpot is configured. */
  hubspot: THubSpotClient | undefined;
  /**
   * How long a delivery may take before it is answered anyway, the work going on in the
   * background. Pipedrive gives up after 10 seconds and Salesforce soon after; a burst of losses
   * waiting on Slack's rate limit could take longer.
   */
  answerWithinMs: number;
  /** Per-workspace connections (/webhooks/<kind>/<connection id>); set when ENCRYPTION_KEY is. */
  connections?: TConnectionWebhookDeps;
}

export const DEFAULT_ANSWER_WITHIN_MS = 5000;

export type TDeliveryOutcome = { settled: true; summary: TIntakeSummary } | { settled: false };

/** Opens and reopens retros for what a delivery reported, answering in time either way. */
export async function deliver(
  deps: TWebhookDeps,
  label: string,
  results: readonly TIntakeResult[],
  receivedAt: Date,
): Promise<TDeliveryOutcome> {
  const outcome = await runWithin(deps.backgroundTasks, label, () => intakeCrmDelivery(deps.intake, { results, receivedAt }), deps.answerWithinMs);
  if (!outcome.settled) {
    deps.logger.warn(`${label}: still working after ${deps.answerWithinMs} ms; answered, and finishing in the background.`);
    return { settled: false };
  }
  return { settled: true, summary: outcome.value };
}

/** The JSON answer for a delivery: what happened to each deal, so a sender's logs can say. */
export function deliveryBody(outcome: TDeliveryOutcome): Record<string, unknown> {
  if (!outcome.settled) return { ok: true, accepted: true };
  const { summary } = outcome;
  const body: Record<string, unknown> = { ok: true };
  for (const [key, values] of Object.entries(summary)) {
    if (values.length > 0) body[key] = values;
  }
  return body;
}
