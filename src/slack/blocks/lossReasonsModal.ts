import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { MAX_REASON_LABEL, MAX_REASONS, type TReasonCatalog } from '../../domain/lossReasons';
import { escapeMrkdwn } from '../../lib/mrkdwn';
import { CALLBACKS, LOSS_REASON_ACTIONS, LOSS_REASON_INPUTS } from '../ids';
import { reasonMenuValue, type TReasonMenuOperation } from '../parsers/lossReasons';
import { LIMITS, context, option, plain, section } from './elements';

// /losses settings > Edit loss reasons: the workspace's reasons in the order they are offered,
// each with a menu (rename, move up or down, retire or restore), and the form that adds or
// renames one. Pure: the catalog in, views out.

function menuOption(operation: TReasonMenuOperation, value: string, label: string): PlainTextOption {
  return option(reasonMenuValue(operation, value), label);
}

function reasonRow(catalog: TReasonCatalog, index: number): KnownBlock {
  const reason = catalog[index]!;
  const options = [
    menuOption('rename', reason.value, 'Rename'),
    ...(index > 0 ? [menuOption('up', reason.value, 'Move up')] : []),
    ...(index < catalog.length - 1 ? [menuOption('down', reason.value, 'Move down')] : []),
    reason.retired ? menuOption('restore', reason.value, 'Restore') : menuOption('retire', reason.value, 'Retire'),
  ];
  const text = reason.retired ? `~${escapeMrkdwn(reason.label)}~  _retired: not offered any more, old retros keep it_` : `*${escapeMrkdwn(reason.label)}*`;
  return {
    ...section(`${index + 1}. ${text}`),
    accessory: { type: 'overflow', action_id: `${LOSS_REASON_ACTIONS.menuPrefix}${reason.value}`, options },
  };
}

export function buildLossReasonsModal(options: { catalog: TReasonCatalog; customised: boolean; notice?: string }): ModalView {
  const { catalog } = options;
  const blocks: KnownBlock[] = [
    context(
      (options.customised ? '' : "These are Debrief's built-in reasons; editing one makes the list this workspace's own. ") +
        'Reps choose from these in the debrief, managers in the retro outcome, in this order. Renaming relabels every past retro, digest and search; retiring stops offering a reason but old retros keep it.',
    ),
  ];
  if (options.notice) blocks.push(section(options.notice));
  // MAX_REASONS keeps the rows within the modal's 100 blocks; slice guards a list grown past it.
  for (let index = 0; index < Math.min(catalog.length, MAX_REASONS); index += 1) blocks.push(reasonRow(catalog, index));
  if (catalog.length < MAX_REASONS) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', action_id: LOSS_REASON_ACTIONS.add, value: 'add', text: plain('Add a reason', LIMITS.buttonText) }] });
  } else {
    blocks.push(context(`This workspace has ${MAX_REASONS} reasons, the most Debrief keeps. Rename a retired one to reuse it.`));
  }
  return { type: 'modal', callback_id: CALLBACKS.lossReasonsModal, title: plain('Loss reasons', LIMITS.modalTitle), close: plain('Done', LIMITS.modalButton), blocks };
}

/** Adds a reason (no `current`) or renames one; private_metadata carries the list's view and the reason. */
export function buildLossReasonFormModal(options: { privateMetadata: string; current?: { label: string; retired: boolean } }): ModalView {
  const { current } = options;
  return {
    type: 'modal',
    callback_id: CALLBACKS.lossReasonFormModal,
    private_metadata: options.privateMetadata,
    title: plain(current ? 'Rename reason' : 'New reason', LIMITS.modalTitle),
    submit: plain(current ? 'Rename' : 'Add', LIMITS.modalButton),
    close: plain('Back', LIMITS.modalButton),
    blocks: [
      {
        type: 'input',
        block_id: LOSS_REASON_INPUTS.label.block,
        label: plain('Name'),
        hint: plain(
          current
            ? 'Every retro, digest and search that has this reason shows the new name. Searches by the old name stop finding it.'
            : 'As reps should see it in the debrief, e.g. "Data residency". It goes at the end of the list; move it from there.',
        ),
        element: {
          type: 'plain_text_input',
          action_id: LOSS_REASON_INPUTS.label.action,
          // Slack's limit for an option's text; validation says so on the field rather than Slack cutting it.
          max_length: MAX_REASON_LABEL,
          placeholder: plain('Data residency'),
          ...(current ? { initial_value: current.label } : {}),
        },
      },
      ...(current?.retired ? [context('This reason is retired: renaming it does not offer it again. Restore it from the list for that.')] : []),
    ],
  };
}
