import autocannon from 'autocannon';
import type { TOpenLoadRequest } from './openLoad';

/**
 * The most requests `connections` connections get through in `seconds`, each sending its next
 * request once the last is answered (a closed loop, measured with autocannon): an app's capacity.
 * Latency under a given rate is openLoad's job (lib/openLoad.ts says why).
 */
export function closedLoad(options: { port: number; seconds: number; connections: number; next: () => TOpenLoadRequest }) {
  return autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, ...options.next() }) }],
  });
}
