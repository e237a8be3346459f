import fc from 'fast-check';
import { CONFIG } from '../../server/config';
import { maxWithdrawable, percentageFeeFen, transferFeeFen, withdrawFee } from '../../server/domain/ledger/fees';

test('transfer fee: 0.1 % rounded half-up to the fen, at least ¥0.10', () => {
  expect(transferFeeFen(12_345)).toBe(12); // ¥123.45 → ¥0.12
  expect(transferFeeFen(12_500)).toBe(13); // 12.5 fen rounds up
  expect(transferFeeFen(12_499)).toBe(12);
  expect(transferFeeFen(1)).toBe(10);
  expect(transferFeeFen(10_000)).toBe(10);
  expect(transferFeeFen(5_000_000)).toBe(5_000);
});

test('withdraw fee: free within the remaining quota, 0.1 % (min ¥0.10) on the excess', () => {
  expect(withdrawFee(50_000, 100_000)).toEqual({ feeFen: 0, quotaUsedFen: 50_000 });
  expect(withdrawFee(100_000, 100_000)).toEqual({ feeFen: 0, quotaUsedFen: 100_000 });
  expect(withdrawFee(100_001, 100_000)).toEqual({ feeFen: 10, quotaUsedFen: 100_000 });
  expect(withdrawFee(300_000, 100_000)).toEqual({ feeFen: 200, quotaUsedFen: 100_000 });
  expect(withdrawFee(300_000, 0)).toEqual({ feeFen: 300, quotaUsedFen: 0 });
});

test('withdraw all: amount + fee never exceeds the balance, and one fen more would', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 12_000_000 }), fc.integer({ min: 0, max: 100_000 }), (balance, quota) => {
      const best = maxWithdrawable(balance, quota);
      expect(best.amountFen + best.feeFen).toBeLessThanOrEqual(balance);
      expect(best.amountFen).toBeLessThanOrEqual(CONFIG.ledger.maxWithdrawFen);
      expect(withdrawFee(best.amountFen, quota)).toEqual({ feeFen: best.feeFen, quotaUsedFen: best.quotaUsedFen });
      if (best.amountFen < Math.min(balance, CONFIG.ledger.maxWithdrawFen)) {
        const next = best.amountFen + 1;
        expect(next + withdrawFee(next, quota).feeFen).toBeGreaterThan(balance);
      }
    }),
    { numRuns: 2000 },
  );
  // 999,001 + round(999.001) = 1,000,000 exactly
  expect(maxWithdrawable(1_000_000, 0)).toEqual({ amountFen: 999_001, feeFen: 999, quotaUsedFen: 0 });
  expect(maxWithdrawable(5, 0)).toEqual({ amountFen: 0, feeFen: 0, quotaUsedFen: 0 });
  // "all" is all that one withdrawal may take: ¥60,000 in the wallet → ¥50,000 (the single-withdrawal limit)
  expect(maxWithdrawable(6_000_000, 100_000)).toEqual({ amountFen: 5_000_000, feeFen: 4_900, quotaUsedFen: 100_000 });
  expect(maxWithdrawable(5_004_900, 100_000).amountFen).toBe(5_000_000);
  expect(maxWithdrawable(5_004_899, 100_000).amountFen).toBe(4_999_999);
  expect(percentageFeeFen(0)).toBe(10);
});
