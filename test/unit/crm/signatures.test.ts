import { assertFreshTimestamp, getHeader, hmacSha256, timingSafeEqualString } from '../../../src/crm/signatures';
import { IntakeError } from '../../../src/crm/types';
import { thrown } from './fixtures';

describe('timingSafeEqualString', () => {
  it('matches equal strings and rejects different ones, whatever their lengths', () => {
    expect(timingSafeEqualString('abc', 'abc')).toBe(true);
    expect(timingSafeEqualString('abc', 'abd')).toBe(false);
    expect(timingSafeEqualString('abc', 'abcd')).toBe(false);
    expect(timingSafeEqualString('', 'x')).toBe(false);
  });
});

describe('hmacSha256', () => {
  it('hashes string and Buffer parts as one message', () => {
    const joined = hmacSha256('k', ['a.', Buffer.from('{"x":1}')]).toString('hex');
    expect(joined).toBe(hmacSha256('k', ['a.{"x":1}']).toString('hex'));
  });
});

describe('getHeader', () => {
  it('ignores case in plain objects and takes the first of a repeated header', () => {
    expect(getHeader({ 'x-debrief-secret': 's' }, 'X-Debrief-Secret')).toBe('s');
    expect(getHeader({ 'X-Debrief-Secret': ['a', 'b'] }, 'x-debrief-secret')).toBe('a');
    expect(getHeader({ other: 'x' }, 'x-debrief-secret')).toBeUndefined();
  });

  it('reads fetch Headers', () => {
    expect(getHeader(new Headers({ 'X-Debrief-Secret': 's' }), 'x-debrief-secret')).toBe('s');
  });
});

describe('assertFreshTimestamp', () => {
  const now = 1_000_000_000_000;

  it('accepts timestamps inside five minutes either side', () => {
    expect(() => assertFreshTimestamp(now - 299_000, now, 'ts')).not.toThrow();
    expect(() => assertFreshTimestamp(now + 299_000, now, 'ts')).not.toThrow();
  });

  it('rejects stale and far-future timestamps with 401', () => {
    const stale = thrown(() => assertFreshTimestamp(now - 301_000, now, 'ts'));
    expect(stale).toBeInstanceOf(IntakeError);
    expect(stale).toMatchObject({ status: 401, message: 'ts is older than 5 minutes' });
    expect(thrown(() => assertFreshTimestamp(now + 301_000, now, 'ts'))).toMatchObject({ status: 401 });
  });
});
