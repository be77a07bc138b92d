import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BodyTooLargeError, readRawBody, requestUrl } from '../../../src/webhooks/http';

/** A server that hands each request to `handle`, for the helpers that need a real IncomingMessage. */
async function serve(handle: (req: IncomingMessage) => Promise<string>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    handle(req).then(
      (text) => res.end(text),
      (error: unknown) => res.writeHead(413, { connection: 'close' }).end(error instanceof Error ? error.name : 'error'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    req.end(body);
  });
}

describe('readRawBody', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await serve(async (req) => (await readRawBody(req, 16)).toString('utf8')));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('returns the exact bytes sent', async () => {
    expect(await post(url, '{"a":"é"}')).toEqual({ status: 200, text: '{"a":"é"}' });
  });

  it('refuses a declared length over the limit before reading, and a streamed body as it passes it', async () => {
    expect(await post(url, 'x'.repeat(17))).toEqual({ status: 413, text: new BodyTooLargeError(16).name });
    expect(await post(url, 'x'.repeat(64), { 'transfer-encoding': 'chunked' })).toEqual({ status: 413, text: 'BodyTooLargeError' });
  });
});

describe('requestUrl', () => {
  const req = (url: string, headers: Record<string, string>) => ({ url, headers, socket: {} }) as unknown as IncomingMessage;

  it('prefers PUBLIC_URL, keeping the path and query as received', () => {
    expect(requestUrl(req('/webhooks/hubspot?x=a%3Ab', { host: '10.0.0.5:3000' }), 'https://debrief.example.com')).toBe('https://debrief.example.com/webhooks/hubspot?x=a%3Ab');
    // A path prefix a proxy strips stays in the public URL.
    expect(requestUrl(req('/webhooks/hubspot', {}), 'https://example.com/debrief/')).toBe('https://example.com/debrief/webhooks/hubspot');
  });

  it('falls back to the Host header and the scheme a proxy reports', () => {
    expect(requestUrl(req('/webhooks/hubspot', { host: 'debrief.local:3000' }), undefined)).toBe('http://debrief.local:3000/webhooks/hubspot');
    expect(requestUrl(req('/webhooks/hubspot', { host: 'internal', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'debrief.example.com' }), undefined)).toBe(
      'https://debrief.example.com/webhooks/hubspot',
    );
  });
});
