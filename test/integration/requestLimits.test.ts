import { DATABASE_KINDS } from '../helpers/database';
import { startHarness, type THarness } from '../helpers/debriefHarness';
import { postRaw } from '../helpers/slackRequests';

describe.each(DATABASE_KINDS.slice(0, 1))('request limits (%s)', (kind) => {
  let harness: THarness;
  beforeAll(async () => {
    harness = await startHarness(kind);
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('refuses a Slack request body over 1 MiB with 413, before verifying or storing anything', async () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ type: 'block_actions', padding: 'x'.repeat(1024 * 1024) }) }).toString();
    const response = await postRaw(harness.http, body, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(413);
    // auth.test is the app's own start-up call; nothing was sent on behalf of the request.
    expect(harness.slack.calls().filter((call) => call.method !== 'auth.test')).toHaveLength(0);
  });

  it('still takes an ordinary signed request after refusing a large one', async () => {
    const body = new URLSearchParams({ payload: JSON.stringify({ type: 'unknown_thing' }) }).toString();
    const response = await postRaw(harness.http, body, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(400);
  });
});
