import { z } from 'zod';
import type { TDigestSettingsAnswers } from '../../domain/digest/settings';
import { DIGEST_ENABLED_VALUE, DIGEST_SETTINGS_INPUTS } from '../ids';
import { inputState, selectedValue, selectedValues, textValue, type TViewStateValues } from './viewState';

/** What the settings modal remembers between opening and submission. */
export const ZDigestSettingsMetadata = z.object({
  /** The channel /losses digest settings was typed in, where the change is confirmed. */
  channelId: z.string().regex(/^[CGD][A-Z0-9]+$/),
});
export type TDigestSettingsMetadata = z.infer<typeof ZDigestSettingsMetadata>;

export function parseDigestSettingsMetadata(text: string): TDigestSettingsMetadata | null {
  try {
    const parsed = ZDigestSettingsMetadata.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const ZSelectedConversation = z.looseObject({ selected_conversation: z.string().nullish() });

export function readDigestSettingsAnswers(values: TViewStateValues): TDigestSettingsAnswers {
  const channel = ZSelectedConversation.safeParse(inputState(values, DIGEST_SETTINGS_INPUTS.channelId) ?? {});
  return {
    channelId: (channel.success ? channel.data.selected_conversation : null) ?? null,
    weekday: selectedValue(values, DIGEST_SETTINGS_INPUTS.weekday),
    hour: selectedValue(values, DIGEST_SETTINGS_INPUTS.hour),
    timeZone: textValue(values, DIGEST_SETTINGS_INPUTS.timeZone),
    enabled: selectedValues(values, DIGEST_SETTINGS_INPUTS.enabled).includes(DIGEST_ENABLED_VALUE),
  };
}
