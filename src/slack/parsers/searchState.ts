import { z } from 'zod';
import type { TSearchCursor } from '../../domain/search';
import { MAX_QUERY_LENGTH } from './searchQuery';

// "More results" carries the whole search in its button value (Slack keeps it, the server keeps
// nothing): the query as typed, where the next page starts, and how many results came before.

export const ZSearchState = z.object({
  /** The query as typed; run again, so relative dates and visibility are current. */
  q: z.string().max(MAX_QUERY_LENGTH),
  /** Relevance tier and offset in it (see TSearchCursor). */
  t: z.number().int().min(0).max(10),
  o: z.number().int().min(0).max(1_000_000),
  /** Results shown on earlier pages. */
  n: z.number().int().min(0).max(1_000_000),
});
export type TSearchState = z.infer<typeof ZSearchState>;

export function encodeSearchState(text: string, next: TSearchCursor, shown: number): string {
  return JSON.stringify({ q: text, t: next.tier, o: next.offset, n: shown } satisfies TSearchState);
}

/** The state in a button value, or null when it is not one Debrief wrote. */
export function parseSearchState(value: string): TSearchState | null {
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return null;
  }
  const parsed = ZSearchState.safeParse(json);
  return parsed.success ? parsed.data : null;
}
