import { ConfigError } from '../config/env';

/** A mistake in how the command was called: its message and the usage are printed, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs a command-line entry point the same way for every `npm run` command: a usage mistake
 * prints the usage (exit 2); a configuration problem prints config's own message and anything
 * else one line naming what failed (exit 1), never a stack trace.
 */
export function runCli(main: () => Promise<void>, options: { usage: string; failed: string }): void {
  main().catch((error: unknown) => {
    if (error instanceof UsageError) {
      if (error.message) console.error(error.message);
      console.error(options.usage);
      process.exitCode = 2;
    } else {
      console.error(error instanceof ConfigError ? error.message : `${options.failed}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  });
}
