import { FakeSlack } from '../../test/helpers/fakeSlack';

// The Slack Web API the benchmarked apps call, in a process of its own so that answering them
// costs neither the app nor the load generator any CPU.

async function main(): Promise<void> {
  const slack = await FakeSlack.start();
  // The fake records every call for tests; a benchmark only needs the answers.
  setInterval(() => slack.reset(), 2_000).unref();
  console.log(`READY ${JSON.stringify({ url: slack.url })}`);
  process.once('SIGTERM', () => void slack.stop().then(() => process.exit(0)));
}

void main();
