/**
 * A money-moving request's idempotency key (`requestId`): made once per intended operation — when
 * its page opens — and sent again unchanged when the same request is retried, so a retry after a
 * lost answer can never pay twice.
 */
export function newRequestId(prefix: string): string {
  const random = Math.floor(Math.random() * 36 ** 8)
    .toString(36)
    .padStart(8, '0');
  return `${prefix}-${Date.now().toString(36)}-${random}`;
}
