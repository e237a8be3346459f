/**
 * The result page and the entry detail show one operation and keep it current: while it is
 * 处理中 they ask again, every few seconds at first and less often as it stays pending (the bank
 * may take minutes; the settle trigger runs every minute on CloudBase), until it is final or
 * the page is hidden.
 */
import type { OperationView } from '../../typings/ledger';
import { ledgerService } from '../services/ledger';
import { loadWithState } from './load';
import { displayOperation, type OperationDisplay } from './operations';
import { cancel, cancelAll, later } from './timers';

const FIRST_POLL_MS = 3_000;
const MAX_POLL_MS = 30_000;

export interface OperationPage {
  data: { operationId: string; operation: OperationView | null; _pollMs: number };
  setData(data: {
    operationId?: string;
    loading?: boolean;
    errorMessage?: string;
    operation?: OperationView;
    shown?: OperationDisplay;
    _pollMs?: number;
  }): void;
}

/** Loads the page's operation (quietly when it is already shown) and schedules the next look while pending. */
export async function loadOperation(page: OperationPage, quiet = false): Promise<void> {
  cancel(page, 'poll');
  let pending = false;
  await loadWithState(
    page,
    async () => {
      const operation = await ledgerService.entry(page.data.operationId);
      page.setData({ operation, shown: displayOperation(operation) });
      pending = operation.status === 'PROCESSING';
    },
    '交易记录加载失败，请重试',
    quiet,
  );
  if (!pending) return;
  const waitMs = page.data._pollMs || FIRST_POLL_MS;
  page.setData({ _pollMs: Math.min(waitMs * 2, MAX_POLL_MS) });
  later(page, 'poll', waitMs, () => void loadOperation(page, true));
}

/** The page is hidden: no more looks until it shows again (from the first interval). */
export function stopWatching(page: OperationPage): void {
  cancel(page, 'poll');
  page.setData({ _pollMs: 0 });
}

/**
 * What the result page and the entry detail share: the operation named by `?id=`, loaded when the
 * page shows (quietly once shown), watched while pending and left alone while hidden. Pages spread
 * these into their Component() options and add their own.
 */
export const operationPage = {
  data: {
    operationId: '',
    loading: true,
    errorMessage: '',
    operation: null as OperationView | null,
    shown: null as OperationDisplay | null,
    _pollMs: 0,
  },
  lifetimes: {
    detached(this: object) {
      cancelAll(this);
    },
  },
  methods: {
    onLoad(this: OperationPage, query: { id?: string }) {
      this.setData({ operationId: query.id ?? '' });
    },
    onShow(this: OperationPage) {
      if (this.data.operationId) void loadOperation(this, this.data.operation !== null);
      else this.setData({ loading: false, errorMessage: '没有找到这笔交易' });
    },
    onHide(this: OperationPage) {
      stopWatching(this);
    },
    onRetry(this: OperationPage) {
      void loadOperation(this);
    },
  },
};
