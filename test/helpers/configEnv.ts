import { ConfigError, parseConfig } from '../../src/config/env';

/** The three variables `npm start` needs; tests add what they exercise. */
export const MINIMAL_ENV = {
  SLACK_BOT_TOKEN: 'xoxb-1234-5678-abcdef',
  SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
  RETRO_CHANNEL: 'C0123456789',
} as const;

/** The problems parseConfig reports for an environment it must refuse. */
export function configProblemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('parseConfig accepted the environment');
}
