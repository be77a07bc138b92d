import { z } from 'zod';
import { DATA_EXPORT_PREPARING } from './blocks/workspaceData';
import { COMMANDS } from './ids';
import { parseLossesCommand } from './parsers/command';

// Which Slack requests the main thread answers at once and hands to the work thread (WORK_THREAD).
// A request can be handed off when its answer is known before any work: Slack ignores what a click,
// a shortcut or an event is answered with, and most /losses sub-commands answer empty and then
// open a modal or DM. Requests whose answer depends on the work stay on the main thread: form
// submissions (inline errors; a hand-logged loss is queued in one write), and the sub-commands that
// answer with their result (help, search, export of results).

/** What the main thread answers before handing the request off; `undefined` is an empty 200. */
export type THandOffPlan = { ack: { response_type: 'ephemeral'; text: string } | undefined };

const HANDED_OFF_TYPES = new Set(['block_actions', 'shortcut', 'message_action', 'event_callback']);

const ZCommand = z.object({ command: z.string(), text: z.string().max(4000).default('') });

export function planHandOff(body: Record<string, unknown>): THandOffPlan | null {
  if (typeof body.type === 'string') return HANDED_OFF_TYPES.has(body.type) ? { ack: undefined } : null;
  const command = ZCommand.safeParse(body);
  if (!command.success || command.data.command !== COMMANDS.losses) return null;
  switch (parseLossesCommand(command.data.text).kind) {
    case 'log':
    case 'settings':
    case 'digest':
    case 'digestSettings':
    case 'dataDelete':
      return { ack: undefined };
    case 'dataExport':
      return { ack: { response_type: 'ephemeral', text: DATA_EXPORT_PREPARING } };
    default:
      return null;
  }
}
