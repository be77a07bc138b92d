import { z } from 'zod';
import type { TWorkspaceSettingsAnswers } from '../../domain/workspaceSettings';
import { NO_USER_GROUP_VALUE, WORKSPACE_SETTINGS_INPUTS } from '../ids';
import { inputState, selectedValue, textValue, type TViewStateValues } from './viewState';

/** What the settings modal remembers between opening and submission. */
export const ZWorkspaceSettingsMetadata = z.object({
  /** Where /losses settings was typed, where the change is confirmed. */
  channelId: z.string().regex(/^[CGD][A-Z0-9]+$/),
  /** The group in force when the modal opened, kept when the modal could offer no group select. */
  keptUserGroupId: z.string().regex(/^S[A-Z0-9]+$/).nullable(),
  groupSelectShown: z.boolean(),
});
export type TWorkspaceSettingsMetadata = z.infer<typeof ZWorkspaceSettingsMetadata>;

export function parseWorkspaceSettingsMetadata(text: string): TWorkspaceSettingsMetadata | null {
  try {
    const parsed = ZWorkspaceSettingsMetadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const ZSelectedConversation = z.looseObject({ selected_conversation: z.string().nullish() });
const ZSelectedUsers = z.looseObject({ selected_users: z.array(z.string()).nullish() });

export function readWorkspaceSettingsAnswers(values: TViewStateValues, metadata: TWorkspaceSettingsMetadata): TWorkspaceSettingsAnswers {
  const channel = ZSelectedConversation.safeParse(inputState(values, WORKSPACE_SETTINGS_INPUTS.retroChannelId) ?? {});
  const users = ZSelectedUsers.safeParse(inputState(values, WORKSPACE_SETTINGS_INPUTS.managerUserIds) ?? {});
  const group = selectedValue(values, WORKSPACE_SETTINGS_INPUTS.managerUserGroupId);
  return {
    retroChannelId: (channel.success ? channel.data.selected_conversation : null) ?? null,
    managerUserGroupId: metadata.groupSelectShown ? (group === null || group === NO_USER_GROUP_VALUE ? null : group) : metadata.keptUserGroupId,
    managerUserIds: (users.success ? users.data.selected_users : null) ?? [],
    debriefNudgeAfter: selectedValue(values, WORKSPACE_SETTINGS_INPUTS.debriefNudgeAfter),
    competitors: textValue(values, WORKSPACE_SETTINGS_INPUTS.competitors),
  };
}
