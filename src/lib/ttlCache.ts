// A small in-memory cache whose entries expire, for answers that are costly to ask again but go
// stale (a Slack user found by e-mail). Each replica keeps its own; nothing here must be shared.

export interface TTtlCache<K, V> {
  /** The cached value, or undefined when there is none or it has expired. */
  get(key: K): V | undefined;
  set(key: K, value: V, ttlMs: number): void;
  delete(key: K): void;
  clear(): void;
  readonly size: number;
}

export function createTtlCache<K, V>(options: { maxEntries?: number; now?: () => number } = {}): TTtlCache<K, V> {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order, so the first key is the oldest written: evicting it keeps
  // memory bounded without the bookkeeping of a true LRU, which this traffic does not need.
  const entries = new Map<K, { value: V; expiresAt: number }>();

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
