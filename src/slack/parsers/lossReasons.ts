import { z } from 'zod';
import { REASON_VALUE_PATTERN, type TReasonEdit } from '../../domain/lossReasons';

// What comes back from the loss-reasons modals: a row menu's choice, and the add/rename form's
// private_metadata. Both crossed Slack, so both are parsed, never trusted.

/** What a row's menu does; the option value is `<operation>:<reason value>`. */
export const REASON_MENU_OPERATIONS = ['rename', 'up', 'down', 'retire', 'restore'] as const;
export type TReasonMenuOperation = (typeof REASON_MENU_OPERATIONS)[number];

export function reasonMenuValue(operation: TReasonMenuOperation, value: string): string {
  return `${operation}:${value}`;
}

const ZMenuChoice = z
  .string()
  .max(150)
  .transform((raw, context) => {
    const separator = raw.indexOf(':');
    const operation = raw.slice(0, separator);
    const value = raw.slice(separator + 1);
    if (separator > 0 && (REASON_MENU_OPERATIONS as readonly string[]).includes(operation) && REASON_VALUE_PATTERN.test(value)) {
      return { operation: operation as TReasonMenuOperation, value };
    }
    context.addIssue({ code: 'custom', message: 'not a loss reason menu choice' });
    return z.NEVER;
  });

export type TReasonMenuChoice = { operation: TReasonMenuOperation; value: string };

/** `rename:price_budget` -> { operation: 'rename', value: 'price_budget' }; null for anything else. */
export function parseReasonMenuChoice(raw: unknown): TReasonMenuChoice | null {
  const parsed = ZMenuChoice.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The edit a menu choice makes right away; rename needs the form first (null). */
export function menuChoiceEdit(choice: TReasonMenuChoice): TReasonEdit | null {
  switch (choice.operation) {
    case 'up':
    case 'down':
      return { kind: 'move', value: choice.value, direction: choice.operation };
    case 'retire':
      return { kind: 'retire', value: choice.value };
    case 'restore':
      return { kind: 'restore', value: choice.value };
    case 'rename':
      return null;
  }
}

export const ZReasonFormMetadata = z.object({
  /** The list underneath, refreshed after the form is saved. */
  listViewId: z.string().min(1).max(64),
  /** The reason being renamed; absent when adding. */
  value: z.string().regex(REASON_VALUE_PATTERN).optional(),
});
export type TReasonFormMetadata = z.infer<typeof ZReasonFormMetadata>;

export function parseReasonFormMetadata(raw: string | undefined): TReasonFormMetadata | null {
  if (!raw) return null;
  try {
    const parsed = ZReasonFormMetadata.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
