import { z } from 'zod';

// Every intake path (the manual modal and each CRM adapter) normalises to this shape, so opening
// a retro never depends on where the loss came from.

export const DEAL_SOURCES = ['manual', 'hubspot', 'salesforce', 'pipedrive', 'generic'] as const;
export const ZDealSource = z.enum(DEAL_SOURCES);
export type TDealSource = z.infer<typeof ZDealSource>;

export const ZCurrencyCode = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .pipe(z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code'));

/** A decimal amount as a string with at most two decimals, e.g. "12500.00"; never a float. */
export const ZAmount = z
  .union([z.string(), z.number()])
  .transform((value) => String(value).trim())
  .pipe(z.string().regex(/^\d{1,14}(\.\d{1,2})?$/, 'must be a non-negative amount with at most two decimals'));

export const ZDealOwner = z.object({
  slackUserId: z.string().regex(/^[UW][A-Z0-9]+$/).optional(),
  email: z.email().max(320).optional(),
  name: z.string().trim().min(1).max(200).optional(),
});
export type TDealOwner = z.infer<typeof ZDealOwner>;

export const ZLostDeal = z.object({
  source: ZDealSource,
  externalId: z.string().trim().min(1).max(255),
  name: z.string().trim().min(1).max(255),
  amount: ZAmount.nullable(),
  currency: ZCurrencyCode.nullable(),
  owner: ZDealOwner,
  competitor: z.string().trim().min(1).max(255).nullable(),
  lossReason: z.string().trim().min(1).max(2000).nullable(),
  crmUrl: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  lostAt: z.date(),
  loggedBySlackUserId: z.string().optional(),
});
export type TLostDeal = z.infer<typeof ZLostDeal>;
