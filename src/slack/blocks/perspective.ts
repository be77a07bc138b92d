import type { KnownBlock, ModalView } from '@slack/types';
import { PERSPECTIVE_ANSWER_MAX, PERSPECTIVE_ROLES, type TPerspectiveAnswers } from '../../domain/teamRetro';
import { labelOf } from '../../domain/debrief';
import { escapeMrkdwn, mentionUser, truncate } from '../../lib/mrkdwn';
import { ACTIONS, ANONYMOUS_OPTION_VALUE, CALLBACKS, PERSPECTIVE_INPUTS } from '../ids';
import { LIMITS, context, option, plain, section } from './elements';
import { anonymityNote } from './debriefSummary';
import type { TSlackMessage } from './retro';

export interface TPerspectiveModalOptions {
  retroId: string;
  dealName: string;
  existing: TPerspectiveAnswers | null;
}

const roleOptions = PERSPECTIVE_ROLES.map((role) => option(role.value, role.label));
const anonymousOption = {
  text: plain("Don't show my name in digests", LIMITS.optionText),
  description: plain('Managers still see who wrote it.', LIMITS.optionText),
  value: ANONYMOUS_OPTION_VALUE,
};

function answerInput(input: { block: string; action: string }, label: string, placeholder: string, initialValue: string | undefined): KnownBlock {
  return {
    type: 'input',
    block_id: input.block,
    label: plain(label, 2000),
    element: {
      type: 'plain_text_input',
      action_id: input.action,
      multiline: true,
      max_length: PERSPECTIVE_ANSWER_MAX,
      placeholder: plain(placeholder, 150),
      ...(initialValue ? { initial_value: truncate(initialValue, PERSPECTIVE_ANSWER_MAX) } : {}),
    },
  };
}

/** "Add my perspective": a teammate's short view of the loss. Reopening it shows the saved answers. */
export function buildPerspectiveModal(options: TPerspectiveModalOptions): ModalView {
  const { existing } = options;
  const role = roleOptions.find((candidate) => candidate.value === existing?.role);
  const blocks: KnownBlock[] = [
    context(
      `*${escapeMrkdwn(truncate(options.dealName, 200))}*\n` +
        'What did you see from where you sat? Two or three sentences are plenty; the rep has written the debrief.',
    ),
    {
      type: 'input',
      block_id: PERSPECTIVE_INPUTS.role.block,
      label: plain('Your role on this deal'),
      element: {
        type: 'static_select',
        action_id: PERSPECTIVE_INPUTS.role.action,
        options: roleOptions,
        placeholder: plain('Choose one'),
        ...(role ? { initial_option: role } : {}),
      },
    },
    answerInput(PERSPECTIVE_INPUTS.saw, 'What did you see?', 'In the demo, the security review, the renewal call…', existing?.saw),
    answerInput(PERSPECTIVE_INPUTS.wouldChange, 'What would you change?', 'Next time I would…', existing?.wouldChange),
    {
      type: 'input',
      block_id: PERSPECTIVE_INPUTS.anonymous.block,
      optional: true,
      label: plain('Digests'),
      element: {
        type: 'checkboxes',
        action_id: PERSPECTIVE_INPUTS.anonymous.action,
        options: [anonymousOption],
        ...(existing?.anonymous ? { initial_options: [anonymousOption] } : {}),
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: CALLBACKS.perspectiveModal,
    title: plain(existing ? 'Edit your perspective' : 'Your perspective', LIMITS.modalTitle),
    submit: plain(existing ? 'Save changes' : 'Share', LIMITS.modalButton),
    close: plain('Cancel', LIMITS.modalButton),
    private_metadata: JSON.stringify({ retroId: options.retroId }),
    blocks,
  };
}

export interface TPerspectiveMessageInput {
  retroId: string;
  dealName: string;
  authorSlackUserId: string;
  answers: TPerspectiveAnswers;
  revision: number;
}

/**
 * A perspective as the thread shows it. The thread is the team's own room, so the author is named
 * here; "anonymous" only keeps the name out of digests, which the footer says so nobody is misled.
 */
export function buildPerspectiveMessage(input: TPerspectiveMessageInput): TSlackMessage {
  const { answers } = input;
  const role = labelOf(PERSPECTIVE_ROLES, answers.role);
  const blocks: KnownBlock[] = [
    section(
      `:busts_in_silhouette: *Perspective from ${mentionUser(input.authorSlackUserId)}* (${role.toLowerCase()})${input.revision > 1 ? ' _(edited)_' : ''}`,
    ),
    section(`*What they saw*\n${escapeMrkdwn(answers.saw)}`),
    section(`*What they would change*\n${escapeMrkdwn(answers.wouldChange)}`),
  ];
  if (answers.anonymous) blocks.push(anonymityNote());
  blocks.push({
    type: 'actions',
    elements: [
      { type: 'button', action_id: ACTIONS.openPerspective, text: plain('Add or edit my perspective', LIMITS.buttonText), value: input.retroId },
    ],
  });
  return {
    text: truncate(`Perspective on ${escapeMrkdwn(input.dealName)} from a ${role.toLowerCase()}`, LIMITS.fallbackText),
    blocks,
  };
}
