import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';

// The plain HTTP side of the CRM webhooks: the raw body (signatures are computed over the exact
// bytes, so nothing may parse it first), the URL as the sender called it, and the answer.

export type TWebhookRequest = {
  method: string;
  /** The full URL the CRM called, e.g. https://debrief.example.com/webhooks/hubspot?x=1. */
  url: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  receivedAt: Date;
};

export type TWebhookResponse = {
  status: number;
  /** Objects are sent as JSON; strings as they are, with contentType. */
  body: string | Record<string, unknown>;
  contentType?: string;
};

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`body is larger than the limit of ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Reads the body, refusing it as soon as it passes `limit` bytes instead of buffering it all. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim() || undefined;
}

/**
 * The URL as the sender called it. PUBLIC_URL is the reliable source (a proxy may rewrite Host);
 * without it the request's own Host, and the scheme a proxy reports, are the best guess.
 */
export function requestUrl(req: IncomingMessage, publicUrl: string | undefined): string {
  const pathAndQuery = req.url ?? '/';
  if (publicUrl) return `${publicUrl.replace(/\/+$/, '')}${pathAndQuery}`;
  const scheme = firstHeader(req.headers['x-forwarded-proto']) ?? (req.socket instanceof TLSSocket ? 'https' : 'http');
  const host = firstHeader(req.headers['x-forwarded-host']) ?? req.headers.host ?? 'localhost';
  return `${scheme}://${host}${pathAndQuery}`;
}

export function sendWebhookResponse(res: ServerResponse, response: TWebhookResponse, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const isJson = typeof response.body !== 'string';
  const body = isJson ? JSON.stringify(response.body) : (response.body as string);
  res.writeHead(response.status, {
    'content-type': response.contentType ?? (isJson ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8'),
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    ...extraHeaders,
  });
  res.end(body);
}

type TRefuse = (response: TWebhookResponse & { body: { error: string } }, headers?: Record<string, string>) => void;

/**
 * The raw body (signatures are computed over it), or undefined once a body over the limit has been
 * refused with 413. The rest of such a body is not read; closing the connection is the only way
 * to stop it.
 */
export async function readBodyOrRefuse(req: IncomingMessage, limit: number, refuse: TRefuse): Promise<Buffer | undefined> {
  try {
    return await readRawBody(req, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    refuse({ status: 413, body: { ok: false, error: error.message } }, { connection: 'close' });
    return undefined;
  }
}
