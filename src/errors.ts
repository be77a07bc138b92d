// Errors Debrief expects and explains to people. Anything else is a bug: logged, and answered
// with a generic apology.

export type TAppErrorCode =
  /** The bot cannot post in the retro channel, usually because nobody invited it. */
  | 'retro_channel_unreachable'
  /** No retro channel: the workspace chose none in /losses settings and RETRO_CHANNEL is unset. */
  | 'retro_channel_not_set'
  /** A button or modal refers to a retro that no longer exists (deleted, or another workspace's). */
  | 'retro_not_found'
  /** A revisit follow-up button whose debrief was deleted since the DM went out. */
  | 'follow_up_not_found'
  /** Someone other than the debrief's author pressed a follow-up button (a forwarded DM). */
  | 'not_your_follow_up';

export class AppError extends Error {
  constructor(
    readonly code: TAppErrorCode,
    /** Safe to show to the person who acted; never contains secrets. */
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
    this.name = 'AppError';
  }
}

export function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('data' in error)) return undefined;
  const data = (error).data;
  if (typeof data !== 'object' || data === null || !('error' in data)) return undefined;
  const code = (data).error;
  return typeof code === 'string' ? code : undefined;
}
