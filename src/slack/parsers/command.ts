// `/losses` sub-commands: the explicit words (help, log, digest…, export) first; anything else is
// a search, parsed by parsers/searchQuery.ts.

export type TLossesCommand =
  | { kind: 'log' }
  | { kind: 'help' }
  /** `/losses settings`: the workspace's settings modal (admins and managers). */
  | { kind: 'settings' }
  /** `/losses digest [YYYY-Www]`: a private preview of the next (or the named) week's digest. */
  | { kind: 'digest'; period: string | null }
  | { kind: 'digestSettings' }
  /** `/losses digest` followed by something it does not take. */
  | { kind: 'digestUsage'; text: string }
  /** `/losses export [search]`: managers get the matching losses as a CSV in their DMs. */
  | { kind: 'export'; query: string }
  /** `/losses data export`: everything stored for the workspace as JSON in a DM (admins, managers). */
  | { kind: 'dataExport' }
  /** `/losses data delete`: the modal that deletes it all, once confirmed (admins, managers). */
  | { kind: 'dataDelete' }
  /** `/losses data` alone: what it takes. */
  | { kind: 'dataUsage' }
  /** Anything else: the whole text is a search of past losses. */
  | { kind: 'search'; query: string };

/** `/losses digest …`: settings, a week, or nothing. */
function parseDigestCommand(rest: string[]): TLossesCommand {
  const [argument, ...extra] = rest;
  if (argument === undefined) return { kind: 'digest', period: null };
  if (extra.length === 0 && argument.toLowerCase() === 'settings') return { kind: 'digestSettings' };
  if (extra.length === 0 && /^\d{4}-w\d{2}$/i.test(argument)) return { kind: 'digest', period: argument.toUpperCase() };
  return { kind: 'digestUsage', text: rest.join(' ') };
}

/** `/losses data export|delete`; "data" and other words (a deal called "Data Warehouse") stay a search. */
function parseDataCommand(rest: string[]): TLossesCommand | null {
  if (rest.length === 0) return { kind: 'dataUsage' };
  const argument = rest.length === 1 ? rest[0]?.toLowerCase() : undefined;
  if (argument === 'export') return { kind: 'dataExport' };
  if (argument === 'delete') return { kind: 'dataDelete' };
  return null;
}

export function parseLossesCommand(text: string): TLossesCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (first === undefined || first === 'help') return { kind: 'help' };
  if (first === 'log' || first === 'new') return { kind: 'log' };
  if (first === 'settings' && words.length === 1) return { kind: 'settings' };
  if (first === 'digest') return parseDigestCommand(words.slice(1));
  if (first === 'data') {
    const data = parseDataCommand(words.slice(1));
    if (data) return data;
  }
  if (first === 'export') return { kind: 'export', query: text.trim().slice(first.length).trim() };
  return { kind: 'search', query: text.trim() };
}
