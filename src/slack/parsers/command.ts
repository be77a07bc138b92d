// `/losses` sub-commands: the explicit words (help, log, digest…, export) first; anything else is
// a search, parsed by parsers/searchQuery.ts.

export type TLossesCommand =
  | { kind: 'log' }
  | { kind: 'help' }
  /** `/losses export [search]`: managers get the matching losses as a CSV in their DMs. */
  | { kind: 'export'; query: string }
  /** Anything else: the whole text is a search of past losses. */
  | { kind: 'search'; query: string };

export function parseLossesCommand(text: string): TLossesCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (first === undefined || first === 'help') return { kind: 'help' };
  if (first === 'log' || first === 'new') return { kind: 'log' };
  if (first === 'export') return { kind: 'export', query: text.trim().slice(first.length).trim() };
  return { kind: 'search', query: text.trim() };
}
