/**
 * Ledger accounts. Each user has one wallet; the bank's side is a few house accounts. Only wallets
 * keep a balance document (updated inside the transaction that moves their money, which is how a
 * wallet can never go negative). House and merchant accounts are credited by every transfer, so a
 * balance document there would be one hot document: their balance is the sum of their postings.
 */
export const HOUSE_ACCOUNTS = {
  /** The bank's own position with the card networks: money that came from or left to cards. */
  settlement: 'house:settlement',
  /** Amount + fee of card transfers and withdrawals sent to the bank and not yet confirmed. */
  transit: 'house:transit',
  /** Fee revenue. */
  fees: 'house:fees',
} as const;

export type HouseAccountId = (typeof HOUSE_ACCOUNTS)[keyof typeof HOUSE_ACCOUNTS];

/**
 * The side each house account's balance (sum of postings, positive = credited) can be on. Money
 * enters only from cards, so settlement is never above zero; transit holds what wallets gave to
 * operations in flight and fees what was earned, so neither is ever below zero. The wrong side is
 * money that came from nowhere (reconcile.ts reports it).
 */
export const HOUSE_ACCOUNT_SIGNS: readonly { accountId: HouseAccountId; sign: 'atMostZero' | 'atLeastZero' }[] = [
  { accountId: HOUSE_ACCOUNTS.settlement, sign: 'atMostZero' },
  { accountId: HOUSE_ACCOUNTS.transit, sign: 'atLeastZero' },
  { accountId: HOUSE_ACCOUNTS.fees, sign: 'atLeastZero' },
];

export function walletAccountId(userId: string): string {
  return `wallet:${userId}`;
}

/** A merchant's takings from payments: a sum of postings, like the house accounts. */
export function merchantAccountId(merchantId: string): string {
  return `merchant:${merchantId}`;
}

export function isWalletAccount(accountId: string): boolean {
  return accountId.startsWith('wallet:');
}
