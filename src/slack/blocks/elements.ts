import type { KnownBlock, PlainTextElement, PlainTextOption, SectionBlock } from '@slack/types';
import { truncate } from '../../lib/mrkdwn';

// Small constructors shared by the builders, each enforcing the Slack limit that applies to it,
// so a long deal name or answer shortens instead of making Slack reject the whole payload.

export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  sectionText: 3000,
  headerText: 150,
  modalTitle: 24,
  modalButton: 24,
  optionText: 75,
  buttonText: 75,
  fieldText: 2000,
  contextText: 2000,
  fallbackText: 4000,
  privateMetadata: 3000,
  id: 255,
  buttonValue: 2000,
} as const;

export function plain(text: string, max: number = LIMITS.sectionText): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

export function option(value: string, label: string): PlainTextOption {
  return { text: plain(label, LIMITS.optionText), value };
}

export function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.sectionText) } };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: plain(text, LIMITS.headerText) };
}

export function context(mrkdwn: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, LIMITS.contextText) }] };
}

export function fields(pairs: Array<[label: string, mrkdwnValue: string]>): SectionBlock {
  return {
    type: 'section',
    fields: pairs.slice(0, 10).map(([label, value]) => ({
      type: 'mrkdwn' as const,
      text: truncate(`*${label}*\n${value}`, LIMITS.fieldText),
    })),
  };
}

export const divider: KnownBlock = { type: 'divider' };
