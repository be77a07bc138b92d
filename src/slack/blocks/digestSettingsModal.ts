import type { KnownBlock, ModalView } from '@slack/types';
import { describeMoment } from '../../domain/digest/period';
import { WEEKDAYS, type TDigestSettings } from '../../domain/digest/settings';
import { CALLBACKS, DIGEST_ENABLED_VALUE, DIGEST_SETTINGS_INPUTS } from '../ids';
import { context, option, plain, section } from './elements';

// Where and when the weekly digest goes out, as a manager edits it. The time zone is typed (Slack
// has no zone picker and a select holds only 100 options); the submission checks it inline.

export interface TDigestSettingsModalOptions {
  settings: TDigestSettings;
  /** When the next digest goes out with the current settings; null while paused. */
  nextDueAt: Date | null;
  /** Kept for the submission: where to confirm the change. */
  privateMetadata: string;
}

const weekdayOptions = WEEKDAYS.map((weekday) => option(String(weekday.value), weekday.label));
const hourOptions = Array.from({ length: 24 }, (_, hour) => option(String(hour), `${String(hour).padStart(2, '0')}:00`));
const enabledOption = option(DIGEST_ENABLED_VALUE, 'Post the weekly digest');

export function buildDigestSettingsModal(options: TDigestSettingsModalOptions): ModalView {
  const { settings } = options;
  const now = options.nextDueAt
    ? `With these settings the next digest goes out ${describeMoment(options.nextDueAt, settings.timeZone)} (${settings.timeZone}).`
    : 'The digest is paused.';
  const source = settings.saved ? '' : ' These are the defaults: nobody has changed them yet.';
  const blocks: KnownBlock[] = [
    context(`Every week Debrief posts what the team lost and why, who won, the lessons for new reps and what is still open. Each digest covers Monday to Sunday in the time zone below.${source}`),
    {
      type: 'input',
      block_id: DIGEST_SETTINGS_INPUTS.channelId.block,
      label: plain('Channel'),
      hint: plain('Invite Debrief there first (/invite @Debrief), or it cannot post.'),
      element: {
        type: 'conversations_select',
        action_id: DIGEST_SETTINGS_INPUTS.channelId.action,
        filter: { include: ['public', 'private'], exclude_bot_users: true },
        ...(settings.channelId ? { initial_conversation: settings.channelId } : {}),
        placeholder: plain('Choose a channel'),
      },
    },
    {
      type: 'input',
      block_id: DIGEST_SETTINGS_INPUTS.weekday.block,
      label: plain('Day'),
      element: {
        type: 'static_select',
        action_id: DIGEST_SETTINGS_INPUTS.weekday.action,
        options: weekdayOptions,
        initial_option: weekdayOptions.find((candidate) => candidate.value === String(settings.weekday)),
      },
    },
    {
      type: 'input',
      block_id: DIGEST_SETTINGS_INPUTS.hour.block,
      label: plain('Time'),
      element: {
        type: 'static_select',
        action_id: DIGEST_SETTINGS_INPUTS.hour.action,
        options: hourOptions,
        initial_option: hourOptions.find((candidate) => candidate.value === String(settings.hour)),
      },
    },
    {
      type: 'input',
      block_id: DIGEST_SETTINGS_INPUTS.timeZone.block,
      label: plain('Time zone'),
      hint: plain('A time zone name such as Europe/Berlin, America/New_York, Asia/Singapore or UTC.'),
      element: {
        type: 'plain_text_input',
        action_id: DIGEST_SETTINGS_INPUTS.timeZone.action,
        initial_value: settings.timeZone,
        max_length: 64,
        placeholder: plain('Europe/Berlin'),
      },
    },
    {
      type: 'input',
      block_id: DIGEST_SETTINGS_INPUTS.enabled.block,
      optional: true,
      label: plain('Weekly digest'),
      element: {
        type: 'checkboxes',
        action_id: DIGEST_SETTINGS_INPUTS.enabled.action,
        options: [enabledOption],
        ...(settings.enabled ? { initial_options: [enabledOption] } : {}),
      },
    },
    context(now),
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.digestSettingsModal,
    title: plain('Weekly loss digest', 24),
    submit: plain('Save', 24),
    close: plain('Cancel', 24),
    private_metadata: options.privateMetadata,
    blocks,
  };
}

/** Pushed instead of the settings when the person may not change the digest (admins who are not managers). */
export function buildDigestSettingsRefusedModal(reason: string): ModalView {
  return {
    type: 'modal',
    title: plain('Weekly digest', 24),
    close: plain('Back', 24),
    blocks: [section(`:lock: ${reason}`)],
  };
}
