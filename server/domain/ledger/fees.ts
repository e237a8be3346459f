/** Fee arithmetic, in integer fen only. */
import { CONFIG } from '../../config';

/** 0.1 % rounded half-up to the fen, at least the minimum fee. */
export function percentageFeeFen(amountFen: number): number {
  const { feeRatePerMille, minimumFeeFen } = CONFIG.ledger;
  const halfUp = Math.floor((amountFen * feeRatePerMille + 500) / 1000);
  return Math.max(minimumFeeFen, halfUp);
}

export function transferFeeFen(amountFen: number): number {
  return percentageFeeFen(amountFen);
}

export interface WithdrawFee {
  feeFen: number;
  /** How much of the lifetime free quota this withdrawal uses. */
  quotaUsedFen: number;
}

/** Free up to the remaining quota; the fee is charged on the excess only. */
export function withdrawFee(amountFen: number, quotaLeftFen: number): WithdrawFee {
  const quotaUsedFen = Math.min(amountFen, Math.max(0, quotaLeftFen));
  const excess = amountFen - quotaUsedFen;
  return { feeFen: excess > 0 ? percentageFeeFen(excess) : 0, quotaUsedFen };
}

/**
 * "Withdraw all": the largest amount one withdrawal may take — its amount + fee fits the balance and
 * the amount is within the single-withdrawal limit (what is left then needs another withdrawal).
 * The fee is a step function of the amount, so start from the exact continuous solution and walk
 * to the best fit; amount + fee grows with the amount, so the limit simply caps that fit.
 * Returns 0 when not even one fen can be withdrawn.
 */
export function maxWithdrawable(
  balanceFen: number,
  quotaLeftFen: number,
  limitFen: number = CONFIG.ledger.maxWithdrawFen,
): { amountFen: number } & WithdrawFee {
  const total = (amount: number) => amount + withdrawFee(amount, quotaLeftFen).feeFen;
  if (balanceFen <= 0) return { amountFen: 0, feeFen: 0, quotaUsedFen: 0 };
  const quota = Math.max(0, quotaLeftFen);
  // amount + (amount − quota) × 0.1 % = balance, when the balance goes past the quota
  let amount = balanceFen <= quota ? balanceFen : Math.floor((balanceFen * 1000 + quota) / 1001);
  while (amount > 0 && total(amount) > balanceFen) amount -= 1;
  while (amount < balanceFen && total(amount + 1) <= balanceFen) amount += 1;
  const capped = Math.min(amount, limitFen);
  return { amountFen: capped, ...withdrawFee(capped, quotaLeftFen) };
}
