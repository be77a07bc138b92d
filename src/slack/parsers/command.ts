// `/losses` sub-commands. Search (issue: search past losses) will claim free text later; for now
// anything but a known sub-command gets help with the reason.

export type TLossesCommand = { kind: 'log' } | { kind: 'help' } | { kind: 'unknown'; text: string };

export function parseLossesCommand(text: string): TLossesCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.toLowerCase();
  if (first === undefined || first === 'help') return { kind: 'help' };
  if (first === 'log' || first === 'new') return { kind: 'log' };
  return { kind: 'unknown', text: text.trim() };
}
