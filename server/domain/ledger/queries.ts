/** Reading the wallet: summary, history pages, one operation. Only the caller's own operations. */
import type { HistoryRequest, HistoryView, OperationView, SummaryView } from '../../../typings/ledger';
import { CONFIG } from '../../config';
import type { WalletOperationDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import type { Condition } from '../ports/store';
import { newestFirst } from '../paging';
import { chinaDayKey } from '../time';
import { requireUser, type Caller, type KnownUser } from '../users/session';
import { walletAccountId } from './accounts';
import { dailyTransferId, quotaLeft } from './quota';
import { operationView } from './views';

const DEFAULT_PAGE = 20;

/** The caller's operation by id, or NOT_FOUND (someone else's and unknown are not told apart). */
export async function ownOperation(deps: DomainDeps, userId: string, operationId: string): Promise<WalletOperationDoc> {
  const op = await deps.store.get('walletOperations', operationId);
  if (!op || op.userId !== userId) throw new AppError('NOT_FOUND', '交易记录不存在');
  return op;
}

export async function operationDetail(deps: DomainDeps, caller: Caller, operationId: string): Promise<OperationView> {
  const user = await requireUser(deps, caller);
  return operationView(await ownOperation(deps, user.id, operationId));
}

export async function transferStatus(deps: DomainDeps, caller: Caller, operationId: string): Promise<OperationView> {
  const user = await requireUser(deps, caller);
  const op = await ownOperation(deps, user.id, operationId);
  if (op.type !== 'transfer') throw new AppError('NOT_FOUND', '转账记录不存在');
  return operationView(op);
}

/** Newest first, by (createdAt, id), paged by an opaque cursor (domain/paging.ts). */
export async function history(deps: DomainDeps, caller: Caller, request: HistoryRequest): Promise<HistoryView> {
  return historyOf(deps, (await requireUser(deps, caller)).id, request);
}

/** A page of one user's operations (for other modules, e.g. the assistant, which know the user id). */
export async function historyOf(deps: DomainDeps, userId: string, request: HistoryRequest): Promise<HistoryView> {
  const scope: Condition<WalletOperationDoc>[] = [{ field: 'userId', op: '==', value: userId }];
  if (request.type) scope.push({ field: 'type', op: '==', value: request.type });
  const page = await newestFirst(deps.store, 'walletOperations', scope, {
    cursor: request.cursor,
    limit: request.limit ?? DEFAULT_PAGE,
  });
  return { items: page.items.map(operationView), nextCursor: page.nextCursor };
}

export async function summary(deps: DomainDeps, caller: Caller): Promise<SummaryView> {
  return summaryOf(deps, await requireUser(deps, caller));
}

export async function summaryOf(deps: DomainDeps, user: KnownUser): Promise<SummaryView> {
  const { store } = deps;
  const userId = user.id;
  // independent reads, sent together: the summary costs the round trips of its longest chain
  const [wallet, processing, quotaLeftFen, today, latest] = await Promise.all([
    store.get('wallets', walletAccountId(userId)),
    store.find('walletOperations', {
      where: [
        { field: 'userId', op: '==', value: userId },
        { field: 'status', op: '==', value: 'PROCESSING' },
      ],
      limit: 1000,
    }),
    quotaLeft(deps, user),
    store.get('dailyTransfers', dailyTransferId(userId, chinaDayKey(deps.clock.now()))),
    historyOf(deps, userId, { limit: 5 }),
  ]);
  return {
    balanceFen: wallet?.balanceFen ?? 0,
    pendingOutFen: processing
      .filter((op) => op.type !== 'topup')
      .reduce((total, op) => total + op.amountFen + op.feeFen, 0),
    withdrawFreeQuotaLeftFen: quotaLeftFen,
    transferLeftTodayFen: Math.max(0, CONFIG.ledger.dailyTransferLimitFen - (today?.totalFen ?? 0)),
    latest: latest.items,
  };
}
