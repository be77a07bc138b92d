import type { KnownBlock } from '@slack/types';
import type { TReasonCatalog } from '../../domain/lossReasons';
import { COMMANDS } from '../ids';
import { context, section } from './elements';
import { buildSearchHelpBlocks } from './search';

/** `reasons`: the workspace's loss reasons, listed under the reason: filter (built-in ones when left out). */
export function buildHelpMessage(problem?: string, reasons?: TReasonCatalog): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push(section(`:warning: ${problem}`));
  blocks.push(
    section(
      [
        '*Debrief: learn from every lost deal*',
        `\`${COMMANDS.losses} log\` opens a form to log a lost deal; a retro thread opens for it.`,
        `\`${COMMANDS.losses} digest\` previews the weekly loss digest (managers); \`${COMMANDS.losses} digest settings\` changes when and where it goes out.`,
        `\`${COMMANDS.losses} settings\` chooses this workspace's retro channel, managers, reminder timing, competitors, loss reasons and CRM connections (admins and managers).`,
        `\`${COMMANDS.losses} data export\` sends you everything Debrief stores for this workspace as a JSON file; \`${COMMANDS.losses} data delete\` deletes it all, once confirmed (admins and managers).`,
        `\`${COMMANDS.losses} help\` shows this message.`,
      ].join('\n'),
    ),
    ...buildSearchHelpBlocks(reasons),
    context('You can also log a loss from the shortcuts menu: search for "Log a lost deal".'),
  );
  return { text: problem ?? 'Debrief help', blocks };
}
