import type { ModalView } from '@slack/types';
import { describeCounts } from '../../domain/workspaceData';
import { escapeMrkdwn } from '../../lib/mrkdwn';
import { COMMANDS, CALLBACKS, WORKSPACE_DATA_DELETE_INPUTS } from '../ids';
import { context, plain, section } from './elements';

// `/losses data export` and `/losses data delete`: the delete modal and what the requester is told.

/** The answer to `/losses data export` while the export is prepared (it arrives as a DM). */
export const DATA_EXPORT_PREPARING = ":hourglass_flowing_sand: Preparing this workspace's data export…";

export const DATA_USAGE = [
  `\`${COMMANDS.losses} data export\` sends you everything Debrief stores for this workspace, as one JSON file in your DMs.`,
  `\`${COMMANDS.losses} data delete\` deletes all of it, after you confirm. Both are for workspace admins and Debrief's managers.`,
].join('\n');

export const DATA_REFUSED =
  ":lock: Only workspace admins and Debrief's managers can export or delete this workspace's Debrief data. Ask one of them, or a workspace admin.";

/**
 * The confirmation modal. `confirmationText` is what must be typed: the workspace's Slack domain,
 * which the person sees in their browser's address bar and cannot type by accident.
 */
export function buildWorkspaceDataDeleteModal(input: { confirmationText: string; privateMetadata: string; counts?: Partial<Record<string, number>> | null }): ModalView {
  const confirm = escapeMrkdwn(input.confirmationText);
  return {
    type: 'modal',
    callback_id: CALLBACKS.workspaceDataDeleteModal,
    private_metadata: input.privateMetadata,
    title: plain('Delete Debrief data', 24),
    submit: plain('Delete everything', 24),
    close: plain('Cancel', 24),
    blocks: [
      section(`:warning: *This deletes everything Debrief stores for the workspace \`${confirm}\`, for good:*`),
      section(
        [
          '• every lost deal and its retro: debriefs, perspectives, the thread replies Debrief kept, outcomes and their history, lessons and action items',
          '• pending reminders and follow-ups, the digest history and the digest schedule',
          '• CRM connections: their webhook URLs stop working',
          "• this workspace's settings and loss reasons, which go back to the defaults",
        ].join('\n'),
      ),
      // Counted after the modal opened (the trigger allows no wait): undefined until then.
      ...(input.counts === undefined ? [] : [section(input.counts === null ? '*Stored now:* nothing yet.' : `*Stored now:* ${describeCounts(input.counts)}.`)]),
      context(
        `Not deleted: messages Debrief already posted in Slack (delete them in Slack), and Debrief's installation: it keeps working here, starting from nothing. To keep a copy, cancel and run \`${COMMANDS.losses} data export\` first. This cannot be undone.`,
      ),
      {
        type: 'input',
        block_id: WORKSPACE_DATA_DELETE_INPUTS.confirmation.block,
        label: plain(`Type ${input.confirmationText} to confirm`, 2000),
        element: { type: 'plain_text_input', action_id: WORKSPACE_DATA_DELETE_INPUTS.confirmation.action, max_length: 255, placeholder: plain(input.confirmationText, 150) },
      },
    ],
  };
}

/** Told to the person who confirmed: what went, or that there was nothing. */
export function describeDeletion(deleted: Partial<Record<string, number>> | null): string {
  if (!deleted) return `:wastebasket: Debrief had nothing stored for this workspace; there was nothing to delete.`;
  return `:wastebasket: Deleted everything Debrief stored for this workspace: ${describeCounts(deleted)}, with the settings, digest schedule and search index. Debrief stays installed and starts from nothing.`;
}
