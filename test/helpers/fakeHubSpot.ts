/**
 * A local fake of the two HubSpot CRM API endpoints Debrief reads, built on node:http only:
 *   GET /crm/v3/objects/deals/{id}?properties=...   GET /crm/v3/owners/{id}
 * Point HUBSPOT_API_URL (config.crm.hubspot.apiUrl) at `url`. Every request is recorded; tests
 * store deals and owners, and queue failures (429 with Retry-After, 500) or fail a path for good.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface THubSpotCall {
  path: string;
  /** The requested deal properties, for deal reads. */
  properties: string[];
  authorization: string | undefined;
  at: number;
  status: number;
}

type TFailure = { status: number; retryAfterSeconds?: number };

export type THubSpotDealRecord = { id: string; properties: Record<string, string | null> };

export class FakeHubSpot {
  readonly url: string;
  private deals = new Map<string, THubSpotDealRecord>();
  private owners = new Map<string, Record<string, unknown>>();
  private queued: Array<{ kind: 'deals' | 'owners'; failure: TFailure }> = [];
  private permanent = new Map<'deals' | 'owners', TFailure>();
  private recorded: THubSpotCall[] = [];
  /** Tokens of other private apps (one per workspace connection) this fake also answers. */
  private otherTokens = new Set<string>();

  private constructor(
    private readonly server: Server,
    readonly accessToken: string,
  ) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(accessToken = 'pat-na1-test-token'): Promise<FakeHubSpot> {
    const started: { fake?: FakeHubSpot } = {};
    const server = createServer((req, res) => {
      if (started.fake) started.fake.handle(req, res);
      else res.writeHead(503).end();
    });
    server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    started.fake = new FakeHubSpot(server, accessToken);
    return started.fake;
  }

  /** Also accepts this access token, as HubSpot accepts each private app's own. */
  allowToken(accessToken: string): void {
    this.otherTokens.add(accessToken);
  }

  /** Stores a deal as the API returns it (the fixture's shape). */
  setDeal(deal: THubSpotDealRecord): void {
    this.deals.set(deal.id, structuredClone(deal));
  }

  setOwner(owner: Record<string, unknown> & { id: string }): void {
    this.owners.set(owner.id, structuredClone(owner));
  }

  /** The next reads of deals (or owners) answer these failures, in order, before succeeding again. */
  failNext(kind: 'deals' | 'owners', ...failures: TFailure[]): void {
    for (const failure of failures) this.queued.push({ kind, failure });
  }

  /** Every read of deals (or owners) fails until reset(). */
  failAlways(kind: 'deals' | 'owners', failure: TFailure): void {
    this.permanent.set(kind, failure);
  }

  calls(kind?: 'deals' | 'owners'): THubSpotCall[] {
    return this.recorded.filter((call) => kind === undefined || call.path.startsWith(kind === 'deals' ? '/crm/v3/objects/deals/' : '/crm/v3/owners/'));
  }

  reset(): void {
    this.deals.clear();
    this.owners.clear();
    this.queued = [];
    this.permanent.clear();
    this.recorded = [];
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const call: THubSpotCall = {
      path: url.pathname,
      properties: url.searchParams.get('properties')?.split(',') ?? [],
      authorization: req.headers.authorization,
      at: Date.now(),
      status: 200,
    };
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      this.recorded.push(call);
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };

    if (req.method !== 'GET') return send(405, { status: 'error', message: 'Method not allowed' });
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (token !== this.accessToken && !(token !== undefined && this.otherTokens.has(token))) {
      return send(401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION', correlationId: 'c0ffee' });
    }
    const deal = /^\/crm\/v3\/objects\/deals\/(\d+)$/.exec(url.pathname);
    const owner = /^\/crm\/v3\/owners\/(\d+)$/.exec(url.pathname);
    const kind = deal ? 'deals' : owner ? 'owners' : undefined;
    if (!kind) return send(404, { status: 'error', message: `No route for ${url.pathname}` });

    const index = this.queued.findIndex((queued) => queued.kind === kind);
    const failure = index >= 0 ? this.queued.splice(index, 1)[0]?.failure : this.permanent.get(kind);
    if (failure) {
      const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
      const category = failure.status === 429 ? 'RATE_LIMITS' : 'INTERNAL_ERROR';
      return send(failure.status, { status: 'error', message: `Fake failure ${failure.status}`, category, correlationId: 'fa11' }, headers);
    }

    if (deal) {
      const found = this.deals.get(deal[1] ?? '');
      if (!found) return send(404, { status: 'error', message: 'Object not found', category: 'OBJECT_NOT_FOUND' });
      // HubSpot returns exactly the properties asked for, null where the deal has no value.
      const properties = Object.fromEntries(call.properties.map((name) => [name, found.properties[name] ?? null]));
      return send(200, { id: found.id, properties, createdAt: '2025-08-01T09:12:45.120Z', updatedAt: '2025-11-20T14:03:12.004Z', archived: false });
    }
    const found = this.owners.get(owner?.[1] ?? '');
    if (!found) return send(404, { status: 'error', message: 'Owner not found', category: 'OBJECT_NOT_FOUND' });
    return send(200, found);
  }
}
