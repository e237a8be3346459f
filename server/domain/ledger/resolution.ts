/**
 * How an operation ends, once the bank's answer is known: the one place that books the second
 * half of every money movement. Used right after submission (the bank answered at once) and by
 * `settle` (it answered later). Each resolution is one transaction that re-reads the operation and
 * only acts on PROCESSING — and its journal entry id is derived from the operation — so an
 * operation is resolved at most once however many processes try.
 */
import type { PaymentFailure, PaymentState } from '../ports/bank';
import type { Collections, JournalEntryDoc, WalletOperationDoc } from '../collections';
import type { DocumentOps } from '../ports/store';
import type { DomainDeps } from '../deps';
import { deliverMessages } from '../notify/delivery';
import { recordMessage } from '../notify/messages';
import { HOUSE_ACCOUNTS, walletAccountId } from './accounts';
import { appendEntry, holdEntryId, type Posting } from './journal';
import { operationMessage } from './messages';
import { countNameMismatch } from './name-guard';
import { dailyTransferId } from './quota';

const FAILURE_MESSAGES: Record<PaymentFailure | 'UNKNOWN', string> = {
  INSUFFICIENT_CARD_FUNDS: '银行卡余额不足',
  CARD_DAILY_LIMIT_EXCEEDED: '超出银行卡单日快捷支付限额，请明天再试或换一张卡',
  HOLDER_MISMATCH: '收款人户名与卡号不符',
  CARD_FROZEN: '银行卡已冻结',
  CARD_CLOSED: '银行卡已销户',
  DECLINED: '银行拒绝了这笔交易',
  // the bank has no record of it: the money never left, nothing came back "the way it went"
  UNKNOWN: '交易未提交到银行',
};

/** What a resolution found wrong with the operation itself: it is ended without moving money. */
const ANOMALY_MESSAGE = '交易记录异常，未发生资金变动，如有疑问请联系客服';

export type BankOutcome = Exclude<PaymentState, { state: 'PENDING' }>;

/**
 * The hold a withdrawal or transfer booked: its entry (read by its deterministic id) and what it
 * moved into transit — the only amount a resolution may move on. Null when there is none, which
 * no booked operation lacks: the document did not come from booking.
 */
async function readHold(
  tx: DocumentOps<Collections>,
  op: WalletOperationDoc,
): Promise<{ entry: JournalEntryDoc; heldFen: number } | null> {
  const entry = await tx.get('journalEntries', holdEntryId(op.id));
  if (!entry || entry.operationId !== op.id || entry.kind !== `${op.type}.hold`) return null;
  const heldFen = entry.postings
    .filter((posting) => posting.accountId === HOUSE_ACCOUNTS.transit)
    .reduce((total, posting) => total + posting.amountFen, 0);
  return heldFen > 0 ? { entry, heldFen } : null;
}

/**
 * Held amount → the bank's settlement account (what the bank paid out) and fee revenue (the rest
 * of what was held). A top-up holds nothing: settlement → wallet.
 */
function postingsForSuccess(op: WalletOperationDoc, heldFen: number): Posting[] {
  if (op.type === 'topup') {
    return [
      { accountId: HOUSE_ACCOUNTS.settlement, amountFen: -op.amountFen },
      { accountId: walletAccountId(op.userId), amountFen: op.amountFen },
    ];
  }
  const postings: Posting[] = [
    { accountId: HOUSE_ACCOUNTS.transit, amountFen: -heldFen },
    { accountId: HOUSE_ACCOUNTS.settlement, amountFen: op.amountFen },
  ];
  if (heldFen > op.amountFen) postings.push({ accountId: HOUSE_ACCOUNTS.fees, amountFen: heldFen - op.amountFen });
  return postings;
}

/**
 * Books the bank's final answer for one operation, with the user's message about it (sent once
 * the booking committed). `immediate` is true when the bank answered the submission itself: a
 * refusal then reads 失败 (FAILED); a refusal that comes later, after the money was on its way,
 * reads 已退回 (RETURNED); a bank that never received it (UNKNOWN) is 失败 either way. Returns the
 * operation as it now stands.
 */
export async function resolveOperation(
  deps: DomainDeps,
  operationId: string,
  outcome: BankOutcome,
  immediate: boolean,
): Promise<WalletOperationDoc | null> {
  const now = deps.clock.now();
  const { op, delivery, anomaly } = await deps.store.transaction(async (tx) => {
    const before = await tx.get('walletOperations', operationId);
    if (!before || before.status !== 'PROCESSING') return { op: before, delivery: null, anomaly: null };
    const booked = await book(tx, before, outcome, immediate, now);
    // an operation ended as an anomaly moved no money: nothing to tell its user
    const message = booked.anomaly ? null : operationMessage(booked.done);
    return {
      op: booked.done,
      delivery: message ? await recordMessage(tx, message, now) : null,
      anomaly: booked.anomaly,
    };
  });
  if (anomaly && op) {
    deps.log.error(`ledger.resolution_${anomaly}`, { operationId, type: op.type, outcome: outcome.state });
  }
  await deliverMessages(deps, [delivery]);
  return op;
}

type Anomaly = 'without_hold' | 'amount_over_hold';

/** The second half of `op`, booked in `tx`; returns the operation's final state. */
async function book(
  tx: DocumentOps<Collections>,
  op: WalletOperationDoc,
  outcome: BankOutcome,
  immediate: boolean,
  now: number,
): Promise<{ done: WalletOperationDoc; anomaly: Anomaly | null }> {
  const hold = op.type === 'withdraw' || op.type === 'transfer' ? await readHold(tx, op) : null;
  const anomaly: Anomaly | null =
    op.type !== 'withdraw' && op.type !== 'transfer'
      ? null
      : !hold
        ? 'without_hold'
        : outcome.state === 'SUCCEEDED' && op.amountFen > hold.heldFen
          ? 'amount_over_hold'
          : null;
  if (anomaly) {
    // Nothing is booked and nothing given back: the journal, not the document, says what moved.
    const done: WalletOperationDoc = {
      ...op,
      status: 'FAILED',
      failureReason: `ANOMALY_${anomaly.toUpperCase()}`,
      failureMessage: ANOMALY_MESSAGE,
      resolvedAt: now,
      updatedAt: now,
    };
    await tx.set('walletOperations', done);
    return { done, anomaly };
  }
  const heldFen = hold?.heldFen ?? 0;

  if (outcome.state === 'SUCCEEDED') {
    const entryId = `${op.id}:${op.type === 'topup' ? 'credit' : 'post'}`;
    await appendEntry(
      tx,
      {
        id: entryId,
        kind: op.type === 'topup' ? 'topup' : (`${op.type}.post` as 'transfer.post'),
        operationId: op.id,
        userId: op.userId,
        postings: postingsForSuccess(op, heldFen),
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
    return { done, anomaly: null };
  }

  const reason = outcome.state === 'FAILED' ? outcome.failure : 'UNKNOWN';
  const entryIds = [...op.entryIds];
  if (hold) {
    // Exactly what the hold took goes back where it came from.
    const entryId = `${op.id}:void`;
    await appendEntry(
      tx,
      {
        id: entryId,
        kind: `${op.type}.void` as 'transfer.void',
        operationId: op.id,
        userId: op.userId,
        postings: hold.entry.postings.map((posting) => ({
          accountId: posting.accountId,
          amountFen: -posting.amountFen,
        })),
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
  if (reason === 'HOLDER_MISMATCH' && op.payeeCardKey) await countNameMismatch(tx, op.userId, op.payeeCardKey, now);
  // 原路退回 only for money the bank had and gave back; money that never reached it just returns.
  const returned = heldFen > 0 && !immediate && reason !== 'UNKNOWN';
  const message = `${FAILURE_MESSAGES[reason]}${heldFen > 0 ? (returned ? '，资金已原路退回零钱' : '，资金已退回零钱') : ''}`;
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
  return { done, anomaly: null };
}
