import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** Reads a file from test/fixtures/crm as text, exactly as a CRM would have sent it. */
export function fixture(name: string): string {
  return readFileSync(join(__dirname, '../../fixtures/crm', name), 'utf8');
}

export const ZJsonObject = z.record(z.string(), z.unknown());

/** A JSON fixture as a plain object, for tests that build variants of it. */
export function fixtureObject(name: string): Record<string, unknown> {
  return ZJsonObject.parse(JSON.parse(fixture(name)));
}

/** Runs fn and returns what it threw, so tests can check both the class and the fields. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
