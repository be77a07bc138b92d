import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CustomRoute } from '@slack/bolt';
import { livenessRoute, readinessRoute } from '../../../src/slack/app';

async function serve(route: CustomRoute): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => void route.handler(Object.assign(req, { params: {} }), res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${route.path}` };
}

async function get(route: CustomRoute): Promise<{ status: number; body: unknown }> {
  const { server, url } = await serve(route);
  try {
    const response = await fetch(url);
    return { status: response.status, body: await response.json() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('GET /readyz', () => {
  it.each([
    ['serving on a reachable database', async () => true, false, 200, { status: 'ready' }],
    ['the database is unreachable', async () => false, false, 503, { status: 'unavailable', database: 'down' }],
    ['the database check fails', async () => Promise.reject(new Error('connection refused')), false, 503, { status: 'unavailable', database: 'down' }],
    ['draining', async () => true, true, 503, { status: 'draining' }],
  ])('answers when %s', async (_name, reachable, draining, status, body) => {
    expect(await get(readinessRoute(reachable, () => draining))).toEqual({ status, body });
  });

  it('does not ask the database while draining', async () => {
    const reachable = jest.fn(async () => true);
    await get(readinessRoute(reachable, () => true));
    expect(reachable).not.toHaveBeenCalled();
  });
});

describe('GET /livez', () => {
  it('answers 200 without asking the database, whose restart is no reason to restart the process', async () => {
    expect(await get(livenessRoute())).toEqual({ status: 200, body: { status: 'ok' } });
  });
});
