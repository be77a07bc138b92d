import type { z } from 'zod';
import { MAX_CONNECTION_LABEL, ZHubSpotAccessToken, ZHubSpotClientSecret, ZSalesforceOrgId, type TConnectionInput, type TConnectionKind } from '../../services/crmConnections';
import { CRM_CONNECTION_INPUTS } from '../ids';
import { textValue, type TInputId, type TViewStateValues } from './viewState';

// The "New connection" and "Replace credentials" forms: each field checked on its own, every
// problem answered next to its field (response_action: errors) in one go.

export type TConnectionFormResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** A field's trimmed value checked by `schema`, or its first problem; null when left empty. */
function checked(values: TViewStateValues, input: TInputId, schema: z.ZodType<string>, errors: Record<string, string>): string | null {
  const raw = textValue(values, input);
  if (raw === null) return null;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  errors[input.block] = result.error.issues[0]?.message ?? 'This value is not valid.';
  return null;
}

function required(values: TViewStateValues, input: TInputId, schema: z.ZodType<string>, errors: Record<string, string>, missing: string): string | null {
  const value = checked(values, input, schema, errors);
  if (value === null && !errors[input.block]) errors[input.block] = missing;
  return value;
}

function hubSpotCredentials(values: TViewStateValues, errors: Record<string, string>): { clientSecret: string; accessToken: string } | null {
  const clientSecret = required(values, CRM_CONNECTION_INPUTS.hubspotClientSecret, ZHubSpotClientSecret, errors, 'Paste the private app\u2019s client secret.');
  const accessToken = required(values, CRM_CONNECTION_INPUTS.hubspotAccessToken, ZHubSpotAccessToken, errors, 'Paste the private app\u2019s access token.');
  return clientSecret !== null && accessToken !== null ? { clientSecret, accessToken } : null;
}

export function parseNewConnectionForm(kind: TConnectionKind, values: TViewStateValues): TConnectionFormResult<{ label: string; credentials: TConnectionInput }> {
  const errors: Record<string, string> = {};
  const label = textValue(values, CRM_CONNECTION_INPUTS.label)?.replace(/\s+/g, ' ') ?? null;
  if (!label) errors[CRM_CONNECTION_INPUTS.label.block] = 'Give the connection a name.';
  else if (label.length > MAX_CONNECTION_LABEL) errors[CRM_CONNECTION_INPUTS.label.block] = `Keep the name to ${MAX_CONNECTION_LABEL} characters.`;

  let credentials: TConnectionInput | null;
  switch (kind) {
    case 'generic':
    case 'pipedrive':
      credentials = { kind };
      break;
    case 'hubspot': {
      const pasted = hubSpotCredentials(values, errors);
      credentials = pasted && { kind, ...pasted };
      break;
    }
    case 'salesforce': {
      const orgId = checked(values, CRM_CONNECTION_INPUTS.salesforceOrgId, ZSalesforceOrgId, errors) ?? undefined;
      credentials = { kind, orgId };
      break;
    }
  }
  if (Object.keys(errors).length > 0 || !label || !credentials) return { ok: false, errors };
  return { ok: true, value: { label, credentials } };
}

export function parseReplaceHubSpotCredentialsForm(values: TViewStateValues): TConnectionFormResult<{ clientSecret: string; accessToken: string }> {
  const errors: Record<string, string> = {};
  const pasted = hubSpotCredentials(values, errors);
  return pasted && Object.keys(errors).length === 0 ? { ok: true, value: pasted } : { ok: false, errors };
}
