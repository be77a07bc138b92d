// Prisma reports a unique-constraint violation as P2002; repositories turn that race into a
// re-read instead of an error, so concurrent deliveries of the same loss converge on one row.
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error).code === 'P2002';
}
