import type { SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { AppError } from '../../../errors';
import type { TLogger } from '../../../lib/logger';

/**
 * Saves a form before its modal closes. Saving is only database writes (the thread message is
 * queued in the outbox with the answers), so it fits in Slack's three seconds, and a modal that
 * closed always means the answers are stored: a crash or a database outage right after can no
 * longer lose what someone wrote. When saving fails the modal stays open, every answer still in
 * it, with the reason on one field; pressing Submit again saves it (the same author's answers are
 * stored in place, never twice).
 */
export async function saveBeforeClosing(
  options: { ack: SlackViewMiddlewareArgs<ViewSubmitAction>['ack']; logger: TLogger; what: string; errorBlockId: string },
  save: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await save();
  } catch (error) {
    if (!(error instanceof AppError)) options.logger.error(`Saving ${options.what} failed`, error);
    const message = error instanceof AppError ? error.userMessage : `I could not save ${options.what} just now. Wait a moment and press Submit again: your answers are still here.`;
    await options.ack({ response_action: 'errors', errors: { [options.errorBlockId]: message } });
    return false;
  }
  await options.ack();
  return true;
}
