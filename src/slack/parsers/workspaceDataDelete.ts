import { z } from 'zod';
import { WORKSPACE_DATA_DELETE_INPUTS } from '../ids';
import { textValue, type TViewStateValues } from './viewState';

/** What the delete modal remembers between opening and submission. */
export const ZWorkspaceDataDeleteMetadata = z.object({
  /** The team whose data the modal was opened for; a submission from another team is refused. */
  slackTeamId: z.string().regex(/^T[A-Z0-9]+$/),
  /** What must be typed: the workspace's Slack domain when the modal opened. */
  confirmationText: z.string().min(1).max(255),
});
export type TWorkspaceDataDeleteMetadata = z.infer<typeof ZWorkspaceDataDeleteMetadata>;

export function parseWorkspaceDataDeleteMetadata(text: string): TWorkspaceDataDeleteMetadata | null {
  try {
    const parsed = ZWorkspaceDataDeleteMetadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Whether the typed text names the workspace: case and surrounding spaces or quotes do not matter. */
export function isDeleteConfirmed(values: TViewStateValues, confirmationText: string): boolean {
  const typed = textValue(values, WORKSPACE_DATA_DELETE_INPUTS.confirmation);
  const normalise = (text: string) => text.trim().replace(/^["'`]+|["'`]+$/g, '').trim().toLowerCase();
  return typed !== null && normalise(typed) === normalise(confirmationText);
}
