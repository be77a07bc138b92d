import { BroadcastChannel } from 'node:worker_threads';

/**
 * Tells the other thread of this process (WORK_THREAD) that a cached value changed, so that both
 * threads forget it at once, as if they were one instance: settings saved on the main thread are
 * used at once by modals the work thread opens. Only the threads of one process share a channel
 * (its name carries the process's group id); other replicas keep the documented 30-second bound.
 */
export interface TPeerInvalidation {
  /** Tells the peers to forget `key` (not this thread: the caller has already). */
  announce(key: string): void;
  close(): void;
}

export const NO_PEERS: TPeerInvalidation = { announce: () => undefined, close: () => undefined };

export function joinPeerInvalidation(channelName: string | undefined, forget: (key: string) => void): TPeerInvalidation {
  if (!channelName) return NO_PEERS;
  const channel = new BroadcastChannel(channelName);
  // Listening must not keep a stopping process alive.
  channel.unref();
  channel.onmessage = (event) => {
    const data = (event as MessageEvent).data as unknown;
    if (typeof data === 'object' && data !== null && typeof (data as { key?: unknown }).key === 'string') forget((data as { key: string }).key);
  };
  return {
    announce: (key) => channel.postMessage({ key }),
    close: () => channel.close(),
  };
}
