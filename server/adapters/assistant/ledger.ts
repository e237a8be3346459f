/**
 * The assistant's wallet facts, from the ledger: balance, recent entries and transfer status of
 * the caller's own operations only.
 */
import type { OperationView } from '../../../typings/ledger';
import type { DomainDeps } from '../../domain/deps';
import { historyOf, summaryOf } from '../../domain/ledger/queries';
import { operationView } from '../../domain/ledger/views';
import type { AssistantData, EntryFacts, EntryStatus } from '../../domain/ports/assistant';

const TITLES: Record<OperationView['type'], string> = {
  topup: '充值',
  withdraw: '提现',
  transfer: '转账到银行卡',
  payment: '付款',
};

const STATUSES: Record<OperationView['status'], EntryStatus> = {
  PROCESSING: 'pending',
  SUCCEEDED: 'posted',
  RETURNED: 'returned',
  FAILED: 'failed',
};

function entryFacts(op: OperationView): EntryFacts {
  return {
    id: op.operationId,
    title: TITLES[op.type],
    counterparty: op.counterparty.label,
    amountFen: op.direction === 'in' ? op.amountFen : -op.amountFen,
    feeFen: op.feeFen,
    status: STATUSES[op.status],
    createdAt: op.createdAt,
  };
}

export function ledgerAssistantData(
  deps: DomainDeps,
): Pick<AssistantData, 'balance' | 'recentEntries' | 'transferStatus'> {
  return {
    async balance(userId) {
      const summary = await summaryOf(deps, { id: userId });
      return { balanceFen: summary.balanceFen, pendingFen: summary.pendingOutFen };
    },
    async recentEntries(userId, count) {
      return (await historyOf(deps, userId, { limit: Math.min(count, 50) })).items.map(entryFacts);
    },
    async transferStatus(userId, reference) {
      let op: OperationView | null;
      if (reference) {
        const doc = await deps.store.get('walletOperations', reference);
        op = doc && doc.userId === userId && doc.type === 'transfer' ? operationView(doc) : null;
      } else {
        op = (await historyOf(deps, userId, { type: 'transfer', limit: 1 })).items[0] ?? null;
      }
      if (!op) return null;
      return {
        reference: op.operationId,
        status: STATUSES[op.status],
        amountFen: op.amountFen,
        feeFen: op.feeFen,
        payee: op.counterparty.label,
        createdAt: op.createdAt,
        expectedArrivalAt: op.expectedArrivalAt,
        returnReason: op.failureMessage,
      };
    },
  };
}
