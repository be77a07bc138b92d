import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthRoute } from '../../../src/slack/app';

async function serve(reachable: () => Promise<boolean>): Promise<{ server: Server; url: string }> {
  const route = healthRoute(reachable);
  const server = createServer((req, res) => route.handler(Object.assign(req, { params: {} }), res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz` };
}

describe('GET /healthz', () => {
  it.each([
    ['reachable', async () => true, 200, { status: 'ok', database: 'up' }],
    ['unreachable', async () => false, 503, { status: 'unavailable', database: 'down' }],
    ['failing', async () => Promise.reject(new Error('connection refused')), 503, { status: 'unavailable', database: 'down' }],
  ])('answers for a %s database', async (_name, reachable, status, body) => {
    const { server, url } = await serve(reachable);
    try {
      const response = await fetch(url);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual(body);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
