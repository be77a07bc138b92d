import { z } from 'zod';

// view.state.values arrives as nested records keyed by block_id then action_id. Only the value
// fields Debrief's inputs produce are modelled; everything else Slack adds passes through.

const ZSelectedOption = z.looseObject({ value: z.string() });

export const ZInputState = z.looseObject({
  type: z.string(),
  value: z.string().nullish(),
  selected_option: ZSelectedOption.nullish(),
  selected_options: z.array(ZSelectedOption).nullish(),
  selected_user: z.string().nullish(),
  selected_date: z.string().nullish(),
});
export type TInputState = z.infer<typeof ZInputState>;

export const ZViewStateValues = z.record(z.string(), z.record(z.string(), ZInputState));
export type TViewStateValues = z.infer<typeof ZViewStateValues>;

export type TInputId = { block: string; action: string };

export function inputState(values: TViewStateValues, input: TInputId): TInputState | undefined {
  return values[input.block]?.[input.action];
}

/** Trimmed text, or null when the person left the field empty. */
export function textValue(values: TViewStateValues, input: TInputId): string | null {
  const text = inputState(values, input)?.value?.trim();
  return text ? text : null;
}

export function selectedValue(values: TViewStateValues, input: TInputId): string | null {
  return inputState(values, input)?.selected_option?.value ?? null;
}

export function selectedValues(values: TViewStateValues, input: TInputId): string[] {
  return inputState(values, input)?.selected_options?.map((selected) => selected.value) ?? [];
}

/** Maps field errors keyed by our names to Slack's response_action errors keyed by block_id. */
export function toBlockErrors<F extends string>(
  errors: Partial<Record<F, string>>,
  inputs: Record<F, TInputId>,
): Record<string, string> {
  const byBlock: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as Array<[F, string | undefined]>) {
    if (message) byBlock[inputs[field].block] = message;
  }
  return byBlock;
}
