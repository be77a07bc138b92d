import type { HomeView, KnownBlock, ModalView } from '@slack/types';

// Checks a whole Block Kit payload (a modal view or a message) against the limits Slack enforces,
// so a builder test fails here instead of Slack answering `invalid_blocks` in production.
// Lengths are counted in UTF-16 code units (String.length), which is never fewer than the
// characters Slack counts, so the check errs on the strict side.
//
// Unknown block and element types are reported too: when a builder starts using a new type, this
// checker has to learn its limits before the builder's tests pass.

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  /** The App Home tab. */
  blocksPerHome: 100,
  /** Slack shows at most 4,000 characters of a message's top-level text in notifications. */
  messageText: 4000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  modalTitle: 24,
  modalSubmit: 24,
  modalClose: 24,
  privateMetadata: 3000,
  callbackId: 255,
  blockId: 255,
  actionId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  options: 100,
  checkboxOptions: 10,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  plainTextInputMaxLength: 3000,
  imageUrl: 3000,
  imageAltText: 2000,
} as const;

export type TSlackMessagePayload = { text?: string; blocks: readonly KnownBlock[] };
export type TSlackPayload = ModalView | HomeView | TSlackMessagePayload;

type TRecord = Record<string, unknown>;

function isRecord(value: unknown): value is TRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function isModal(payload: TSlackPayload): payload is ModalView {
  return 'type' in payload && payload.type === 'modal';
}

function isHome(payload: TSlackPayload): payload is HomeView {
  return 'type' in payload && payload.type === 'home';
}

class LimitWalker {
  readonly violations: string[] = [];
  private readonly blockIds = new Map<string, string>();
  private readonly actionIds = new Map<string, string>();

  fail(path: string, problem: string): void {
    this.violations.push(`${path}: ${problem}`);
  }

  string(path: string, value: unknown, max: number, options: { required?: boolean; min?: number } = {}): void {
    if (value === undefined) {
      if (options.required) this.fail(path, 'is missing');
      return;
    }
    if (typeof value !== 'string') {
      this.fail(path, `must be a string, got ${typeof value}`);
      return;
    }
    const min = options.min ?? 0;
    if (value.length < min) this.fail(path, `must be at least ${min} characters, got ${value.length}`);
    if (value.length > max) this.fail(path, `must be at most ${max} characters, got ${value.length}`);
    if (LONE_SURROGATE.test(value)) this.fail(path, 'contains a lone UTF-16 surrogate (half an emoji): not valid UTF-8');
  }

  /** A text object: { type: plain_text | mrkdwn, text }. */
  textObject(path: string, value: unknown, max: number, options: { plainOnly?: boolean; required?: boolean } = {}): void {
    if (value === undefined) {
      if (options.required) this.fail(path, 'is missing');
      return;
    }
    if (!isRecord(value)) {
      this.fail(path, 'must be a text object');
      return;
    }
    if (value.type !== 'plain_text' && value.type !== 'mrkdwn') this.fail(`${path}.type`, `must be plain_text or mrkdwn, got ${String(value.type)}`);
    if (options.plainOnly && value.type !== 'plain_text') this.fail(`${path}.type`, 'must be plain_text here');
    if (value.type === 'mrkdwn' && 'emoji' in value) this.fail(`${path}.emoji`, 'is only allowed on plain_text');
    if (value.type === 'plain_text' && 'verbatim' in value) this.fail(`${path}.verbatim`, 'is only allowed on mrkdwn');
    this.string(`${path}.text`, value.text, max, { required: true, min: 1 });
  }

  id(kind: 'block_id' | 'action_id', path: string, value: unknown, options: { required?: boolean } = {}): void {
    const max = kind === 'block_id' ? SLACK_LIMITS.blockId : SLACK_LIMITS.actionId;
    this.string(path, value, max, { required: options.required ?? false, min: 1 });
    if (typeof value !== 'string') return;
    const seen = kind === 'block_id' ? this.blockIds : this.actionIds;
    const earlier = seen.get(value);
    if (earlier !== undefined) this.fail(path, `${kind} "${value}" is already used at ${earlier}`);
    else seen.set(value, path);
  }

  array(path: string, value: unknown, max: number, min = 1): unknown[] {
    if (!Array.isArray(value)) {
      this.fail(path, 'must be an array');
      return [];
    }
    if (value.length < min) this.fail(path, `must have at least ${min} items, got ${value.length}`);
    if (value.length > max) this.fail(path, `must have at most ${max} items, got ${value.length}`);
    return value;
  }

  blocks(path: string, value: unknown, max: number): void {
    this.array(path, value, max).forEach((block, index) => this.block(`${path}[${index}]`, block));
  }

  block(path: string, block: unknown): void {
    if (!isRecord(block)) {
      this.fail(path, 'must be a block object');
      return;
    }
    this.id('block_id', `${path}.block_id`, block.block_id);
    switch (block.type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined) this.fail(path, 'a section needs text or fields');
        this.textObject(`${path}.text`, block.text, SLACK_LIMITS.sectionText);
        if (block.fields !== undefined) {
          this.array(`${path}.fields`, block.fields, SLACK_LIMITS.sectionFields).forEach((field, index) =>
            this.textObject(`${path}.fields[${index}]`, field, SLACK_LIMITS.sectionFieldText, { required: true }),
          );
        }
        if (block.accessory !== undefined) this.element(`${path}.accessory`, block.accessory);
        return;
      }
      case 'header':
        this.textObject(`${path}.text`, block.text, SLACK_LIMITS.headerText, { plainOnly: true, required: true });
        return;
      case 'divider':
        return;
      case 'context':
        this.array(`${path}.elements`, block.elements, SLACK_LIMITS.contextElements).forEach((element, index) => {
          const elementPath = `${path}.elements[${index}]`;
          if (isRecord(element) && element.type === 'image') this.element(elementPath, element);
          else this.textObject(elementPath, element, SLACK_LIMITS.contextText, { required: true });
        });
        return;
      case 'actions':
        this.array(`${path}.elements`, block.elements, SLACK_LIMITS.actionsElements).forEach((element, index) =>
          this.element(`${path}.elements[${index}]`, element),
        );
        return;
      case 'input':
        this.textObject(`${path}.label`, block.label, SLACK_LIMITS.inputLabel, { plainOnly: true, required: true });
        this.textObject(`${path}.hint`, block.hint, SLACK_LIMITS.inputHint, { plainOnly: true });
        if (block.optional !== undefined && typeof block.optional !== 'boolean') this.fail(`${path}.optional`, 'must be a boolean');
        if (block.element === undefined) this.fail(`${path}.element`, 'is missing');
        else this.element(`${path}.element`, block.element);
        return;
      default:
        this.fail(`${path}.type`, `block type "${String(block.type)}" is not checked by blockKitLimits.ts: teach it the limits first`);
    }
  }

  option(path: string, value: unknown): void {
    if (!isRecord(value)) {
      this.fail(path, 'must be an option object');
      return;
    }
    this.textObject(`${path}.text`, value.text, SLACK_LIMITS.optionText, { required: true });
    this.string(`${path}.value`, value.value, SLACK_LIMITS.optionValue, { required: true, min: 1 });
    this.textObject(`${path}.description`, value.description, SLACK_LIMITS.optionDescription, { plainOnly: true });
  }

  /** Checks options, and that initial options are exactly among them (Slack compares them whole). */
  selectOptions(path: string, element: TRecord): void {
    const options = this.array(`${path}.options`, element.options, SLACK_LIMITS.options);
    options.forEach((candidate, index) => this.option(`${path}.options[${index}]`, candidate));
    const values = options.map((candidate) => (isRecord(candidate) ? candidate.value : undefined));
    const duplicates = values.filter((value, index) => values.indexOf(value) !== index);
    if (duplicates.length) this.fail(`${path}.options`, `option values must be unique; repeated: ${duplicates.map(String).join(', ')}`);
    const serialised = options.map((candidate) => JSON.stringify(candidate));
    const initials: unknown[] = element.initial_option !== undefined ? [element.initial_option] : [];
    if (Array.isArray(element.initial_options)) initials.push(...(element.initial_options as unknown[]));
    for (const initial of initials) {
      if (!serialised.includes(JSON.stringify(initial))) {
        this.fail(`${path}.initial_option(s)`, `${JSON.stringify(initial)} is not exactly one of the options`);
      }
    }
  }

  element(path: string, element: unknown): void {
    if (!isRecord(element)) {
      this.fail(path, 'must be an element object');
      return;
    }
    const placeholder = () => this.textObject(`${path}.placeholder`, element.placeholder, SLACK_LIMITS.placeholder, { plainOnly: true });
    const actionId = () => this.id('action_id', `${path}.action_id`, element.action_id);
    switch (element.type) {
      case 'button':
        actionId();
        this.textObject(`${path}.text`, element.text, SLACK_LIMITS.buttonText, { plainOnly: true, required: true });
        this.string(`${path}.value`, element.value, SLACK_LIMITS.buttonValue, { min: 1 });
        this.string(`${path}.url`, element.url, SLACK_LIMITS.buttonUrl, { min: 1 });
        if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
          this.fail(`${path}.style`, 'must be primary or danger');
        }
        return;
      case 'plain_text_input': {
        actionId();
        placeholder();
        const max = element.max_length;
        const min = element.min_length;
        if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > SLACK_LIMITS.plainTextInputMaxLength)) {
          this.fail(`${path}.max_length`, `must be a whole number from 1 to ${SLACK_LIMITS.plainTextInputMaxLength}, got ${String(max)}`);
        }
        if (min !== undefined && (typeof min !== 'number' || min < 0 || (typeof max === 'number' && min > max))) {
          this.fail(`${path}.min_length`, 'must be a whole number no greater than max_length');
        }
        const limit = typeof max === 'number' ? Math.min(max, SLACK_LIMITS.plainTextInputMaxLength) : SLACK_LIMITS.plainTextInputMaxLength;
        this.string(`${path}.initial_value`, element.initial_value, limit);
        return;
      }
      case 'url_text_input':
      case 'email_text_input':
        actionId();
        placeholder();
        this.string(`${path}.initial_value`, element.initial_value, SLACK_LIMITS.plainTextInputMaxLength);
        return;
      case 'number_input':
        actionId();
        placeholder();
        if (typeof element.is_decimal_allowed !== 'boolean') this.fail(`${path}.is_decimal_allowed`, 'is required');
        for (const key of ['initial_value', 'min_value', 'max_value'] as const) {
          const value = element[key];
          if (value !== undefined && (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value))) this.fail(`${path}.${key}`, 'must be a number as a string');
        }
        return;
      case 'static_select':
      case 'multi_static_select':
        actionId();
        placeholder();
        this.selectOptions(path, element);
        return;
      case 'overflow':
        actionId();
        // An overflow menu holds 2 to 5 options, and no placeholder or initial option.
        this.array(`${path}.options`, element.options, SLACK_LIMITS.overflowOptions, 2);
        this.selectOptions(path, element);
        return;
      case 'checkboxes':
      case 'radio_buttons':
        actionId();
        // Slack allows at most 10 options here, not the 100 of a select.
        this.array(`${path}.options`, element.options, SLACK_LIMITS.checkboxOptions);
        this.selectOptions(path, element);
        return;
      case 'users_select':
      case 'multi_users_select':
      case 'conversations_select':
      case 'channels_select':
        actionId();
        placeholder();
        return;
      case 'datepicker': {
        actionId();
        placeholder();
        const initial = element.initial_date;
        if (initial !== undefined) {
          const valid = typeof initial === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(initial) && new Date(`${initial}T00:00:00Z`).toISOString().startsWith(initial);
          if (!valid) this.fail(`${path}.initial_date`, `must be a real YYYY-MM-DD date, got ${String(initial)}`);
        }
        return;
      }
      case 'image':
        this.string(`${path}.image_url`, element.image_url, SLACK_LIMITS.imageUrl, { required: true, min: 1 });
        this.string(`${path}.alt_text`, element.alt_text, SLACK_LIMITS.imageAltText, { required: true, min: 1 });
        return;
      default:
        this.fail(`${path}.type`, `element type "${String(element.type)}" is not checked by blockKitLimits.ts: teach it the limits first`);
    }
  }
}

/** Every limit the payload breaks, one line each; empty when Slack would accept it. */
export function findSlackLimitViolations(payload: TSlackPayload): string[] {
  const walker = new LimitWalker();
  if (isHome(payload)) {
    walker.string('callback_id', payload.callback_id, SLACK_LIMITS.callbackId);
    walker.string('external_id', payload.external_id, SLACK_LIMITS.callbackId);
    walker.string('private_metadata', payload.private_metadata, SLACK_LIMITS.privateMetadata);
    walker.blocks('blocks', payload.blocks, SLACK_LIMITS.blocksPerHome);
  } else if (isModal(payload)) {
    walker.textObject('title', payload.title, SLACK_LIMITS.modalTitle, { plainOnly: true, required: true });
    walker.textObject('submit', payload.submit, SLACK_LIMITS.modalSubmit, { plainOnly: true });
    walker.textObject('close', payload.close, SLACK_LIMITS.modalClose, { plainOnly: true });
    const hasInputs = payload.blocks.some((block) => block.type === 'input');
    if (hasInputs && payload.submit === undefined) walker.fail('submit', 'a modal with input blocks needs a submit button');
    walker.string('callback_id', payload.callback_id, SLACK_LIMITS.callbackId);
    walker.string('external_id', payload.external_id, SLACK_LIMITS.callbackId);
    walker.string('private_metadata', payload.private_metadata, SLACK_LIMITS.privateMetadata);
    walker.blocks('blocks', payload.blocks, SLACK_LIMITS.blocksPerModal);
  } else {
    walker.string('text', payload.text, SLACK_LIMITS.messageText);
    walker.blocks('blocks', payload.blocks, SLACK_LIMITS.blocksPerMessage);
  }
  return walker.violations;
}

/** Throws with every violation listed, so one failing test shows the whole picture. */
export function assertWithinSlackLimits(payload: TSlackPayload): void {
  const violations = findSlackLimitViolations(payload);
  if (violations.length > 0) {
    throw new Error(`The payload breaks Slack's Block Kit limits:\n  - ${violations.join('\n  - ')}`);
  }
}

function collectTexts(value: unknown, type: 'mrkdwn' | 'plain_text', into: string[]): string[] {
  if (Array.isArray(value)) {
    for (const item of value) collectTexts(item, type, into);
  } else if (isRecord(value)) {
    if (value.type === type && typeof value.text === 'string') into.push(value.text);
    for (const child of Object.values(value)) collectTexts(child, type, into);
  }
  return into;
}

/** Every string Slack parses as mrkdwn: mrkdwn text objects, plus a message's top-level text. */
export function mrkdwnTexts(payload: TSlackPayload): string[] {
  const texts = collectTexts(payload.blocks, 'mrkdwn', []);
  if ('text' in payload && payload.text !== undefined) texts.unshift(payload.text);
  return texts;
}

/** Every plain_text text object's text. */
export function plainTexts(payload: TSlackPayload): string[] {
  return collectTexts(isModal(payload) ? [payload.title, payload.submit, payload.close, payload.blocks] : payload.blocks, 'plain_text', []);
}

/**
 * The control sequences Slack acts on in mrkdwn: <@U…> and <!subteam^…> ping people,
 * <!channel>/<!here>/<!everyone> ping a whole channel, <#C…> links channels, <url|label> links.
 */
export function controlSequences(payload: TSlackPayload): string[] {
  return mrkdwnTexts(payload).flatMap((text) => text.match(/<[^<>]*>/g) ?? []);
}

/** Only the sequences that notify someone: user mentions, group mentions and channel-wide pings. */
export function liveMentions(payload: TSlackPayload): string[] {
  return controlSequences(payload).filter((sequence) => /^<[@!]/.test(sequence));
}
