/**
 * How an operation ends, once the bank's answer is known: the one place that books the second
 * half of every money movement. Used right after submission (the bank answered at once) and by
 * `settle` (it answered later). Each resolution is one transaction that re-reads the operation and
 * only acts on PROCESSING — and its journal entry id is derived from the operation — so an
 * operation is resolved at most once however many processes try.
 */
import type { PaymentFailure, PaymentState } from '../ports/bank';
import type { Collections, WalletOperationDoc } from '../collections';
import type { DocumentOps } from '../ports/store';
import type { DomainDeps } from '../deps';
import { deliverMessages } from '../notify/delivery';
import { recordMessage } from '../notify/messages';
import { HOUSE_ACCOUNTS, walletAccountId } from './accounts';
import { appendEntry, type Posting } from './journal';
import { operationMessage } from './messages';
import { dailyTransferId } from './quota';

const FAILURE_MESSAGES: Record<PaymentFailure | 'UNKNOWN', string> = {
  INSUFFICIENT_CARD_FUNDS: '银行卡余额不足',
  HOLDER_MISMATCH: '收款人户名与卡号不符',
  CARD_FROZEN: '银行卡已冻结',
  CARD_CLOSED: '银行卡已销户',
  DECLINED: '银行拒绝了这笔交易',
  UNKNOWN: '银行未受理这笔交易',
};

export type BankOutcome = Exclude<PaymentState, { state: 'PENDING' }>;

/** Amount + fee left the wallet into transit when the operation was booked. */
function heldFen(op: WalletOperationDoc): number {
  return op.type === 'withdraw' || op.type === 'transfer' ? op.amountFen + op.feeFen : 0;
}

/** Transit → the bank's settlement account (amount) and fee revenue (fee). */
function postingsForSuccess(op: WalletOperationDoc): Posting[] {
  if (op.type === 'topup') {
    return [
      { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -op.amountFen },
      { accountId: walletAccountId(op.userId), amountFen: op.amountFen },
    ];
  }
  const postings: Posting[] = [
    { accountId: HOUSE_ACCOUNTS.transit, amountFen: -heldFen(op) },
    { accountId: HOUSE_ACCOUNTS.settlement, amountFen: op.amountFen },
  ];
  if (op.feeFen > 0) postings.push({ accountId: HOUSE_ACCOUNTS.fees, amountFen: op.feeFen });
  return postings;
}

/**
 * Books the bank's final answer for one operation, with the user's message about it (sent once
 * the booking committed). `immediate` is true when the bank answered the submission itself: a
 * refusal then reads 失败 (FAILED); a refusal that comes later, after the money was on its way,
 * reads 已退回 (RETURNED). Returns the operation as it now stands.
 */
export async function resolveOperation(
  deps: DomainDeps,
  operationId: string,
  outcome: BankOutcome,
  immediate: boolean,
): Promise<WalletOperationDoc | null> {
  const now = deps.clock.now();
  const { op, messageId } = await deps.store.transaction(async (tx) => {
    const before = await tx.get('walletOperations', operationId);
    if (!before || before.status !== 'PROCESSING') return { op: before, messageId: null };
    const done = await book(tx, before, outcome, immediate, now);
    const message = operationMessage(done);
    return { op: done, messageId: message ? await recordMessage(tx, message, now) : null };
  });
  if (messageId) await deliverMessages(deps, [messageId]);
  return op;
}

/** The second half of `op`, booked in `tx`; returns the operation's final state. */
async function book(
  tx: DocumentOps<Collections>,
  op: WalletOperationDoc,
  outcome: BankOutcome,
  immediate: boolean,
  now: number,
): Promise<WalletOperationDoc> {
  if (outcome.state === 'SUCCEEDED') {
    const entryId = `${op.id}:${op.type === 'topup' ? 'credit' : 'post'}`;
    await appendEntry(
      tx,
      {
        id: entryId,
        kind: op.type === 'topup' ? 'topup' : (`${op.type}.post` as 'transfer.post'),
        operationId: op.id,
        userId: op.userId,
        postings: postingsForSuccess(op),
      },
      now,
    );
    const done: WalletOperationDoc = {
      ...op,
      status: 'SUCCEEDED',
      entryIds: [...op.entryIds, entryId],
      resolvedAt: now,
      updatedAt: now,
    };
    await tx.set('walletOperations', done);
    return done;
  }

  const reason = outcome.state === 'FAILED' ? outcome.failure : 'UNKNOWN';
  const held = heldFen(op);
  const entryIds = [...op.entryIds];
  if (held > 0) {
    // Amount and fee go back to the wallet the way they came.
    const entryId = `${op.id}:void`;
    await appendEntry(
      tx,
      {
        id: entryId,
        kind: `${op.type}.void` as 'transfer.void',
        operationId: op.id,
        userId: op.userId,
        postings: [
          { accountId: HOUSE_ACCOUNTS.transit, amountFen: -held },
          { accountId: walletAccountId(op.userId), amountFen: held },
        ],
      },
      now,
    );
    entryIds.push(entryId);
  }
  // What the operation had claimed of the user's allowances is given back.
  if (op.quotaKey && op.quotaUsedFen > 0) {
    const quota = await tx.get('withdrawQuotas', op.quotaKey);
    if (quota)
      await tx.update('withdrawQuotas', op.quotaKey, {
        usedFen: Math.max(0, quota.usedFen - op.quotaUsedFen),
        updatedAt: now,
      });
  }
  if (op.limitDay) {
    const dayId = dailyTransferId(op.userId, op.limitDay);
    const day = await tx.get('dailyTransfers', dayId);
    if (day)
      await tx.update('dailyTransfers', dayId, {
        totalFen: Math.max(0, day.totalFen - op.amountFen),
        updatedAt: now,
      });
  }
  const returned = held > 0 && !immediate;
  const message = `${FAILURE_MESSAGES[reason]}${held > 0 ? (returned ? '，资金已原路退回零钱' : '，资金已退回零钱') : ''}`;
  const done: WalletOperationDoc = {
    ...op,
    status: returned ? 'RETURNED' : 'FAILED',
    failureReason: reason,
    failureMessage: message,
    entryIds,
    resolvedAt: now,
    updatedAt: now,
  };
  await tx.set('walletOperations', done);
  return done;
}
