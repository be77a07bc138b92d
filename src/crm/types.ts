import type { TDealSource, TLostDeal } from '../domain/lostDeal';

/**
 * What an adapter made of one webhook delivery. The route answers 200 for every kind: a valid
 * payload that is not a loss is still a successful delivery, and answering otherwise would only
 * make the CRM retry it.
 */
export type TIntakeResult =
  | { kind: 'lost'; deals: TLostDeal[]; occurredAt?: TOccurredAt }
  // Ids of deals that are no longer lost. Most CRMs do not say what the stage was before, so
  // these are candidates: the caller marks a retro reopened only where one exists.
  | { kind: 'reopened'; source: TDealSource; externalIds: string[]; occurredAt?: TOccurredAt }
  | { kind: 'ignored'; reason: string };

/**
 * When each change happened in the CRM, by external id, where the payload says so precisely
 * (not a close date). Deliveries are ordered by it, so a retried old "lost" cannot undo a newer
 * reopen; ids missing here are ordered by the time Debrief received them.
 */
export type TOccurredAt = Readonly<Record<string, Date>>;

/**
 * A delivery the route must refuse. The message is safe to log and to return to the caller: it
 * names what is wrong and never echoes a secret or the body.
 */
export class IntakeError extends Error {
  override readonly name = 'IntakeError';

  constructor(
    readonly status: 400 | 401 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** Node's IncomingHttpHeaders and the fetch API's Headers both fit, so the lead can pass either. */
export type THeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Raw bodies arrive as the bytes the CRM signed; a string is accepted for tests and simple servers. */
export type TRawBody = string | Buffer;
