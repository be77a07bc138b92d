// Prisma reports a unique-constraint violation as P2002; repositories turn that race into a
// re-read instead of an error, so concurrent deliveries of the same loss converge on one row.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error).code === 'P2002';
}

// PostgreSQL aborts one of two transactions that deadlock (40P01) or, under stricter isolation,
// conflict (40001); Prisma reports both as P2034 (a raw query's as P2010 with the server's code).
// Such a transaction did nothing and may simply run again.
const CONFLICT_CODES = new Set(['40P01', '40001']);

export function isTransactionConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, meta } = error as { code?: unknown; meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } };
  if (code === 'P2034') return true;
  const serverCode = meta?.code ?? meta?.driverAdapterError?.cause?.originalCode;
  return typeof serverCode === 'string' && CONFLICT_CODES.has(serverCode);
}
