import type { Server } from 'node:http';
import { FakeSlack } from '../../test/helpers/fakeSlack';

// The Slack Web API the benchmarked apps call, in a process of its own so that answering them
// costs neither the app nor the load generator any CPU.

async function main(): Promise<void> {
  const slack = await FakeSlack.start();
  // The tests' fake closes idle keep-alive connections after a second so that jest can exit;
  // undici (fetch, which the WebClient uses) then discards each connection after one call, and
  // the apps would pay a new TCP connection per Slack call, which real Slack does not cost.
  const server = Reflect.get(slack, 'server') as Server;
  server.keepAliveTimeout = 65_000;
  // The fake records every call for tests; a benchmark only needs the answers.
  setInterval(() => slack.reset(), 2_000).unref();
  console.log(`READY ${JSON.stringify({ url: slack.url })}`);
  process.once('SIGTERM', () => void slack.stop().then(() => process.exit(0)));
}

void main();
