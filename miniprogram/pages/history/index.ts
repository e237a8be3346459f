/**
 * 交易记录: every operation, newest first, by type (全部 / 充值 / 提现 / 转账 / 付款), paged by the
 * server's cursor as the list is scrolled to the bottom; pull down for the newest. A row opens
 * the entry detail.
 */
import type { OperationType, OperationView } from '../../../typings/ledger';
import { ledgerService } from '../../services/ledger';
import { errorMessage } from '../../services/transport';
import { loadWithState } from '../../utils/load';
import { TYPE_LABELS } from '../../utils/operations';
import { ROUTES } from '../../utils/routes';

const PAGE_SIZE = 20;
const FILTERS: { type: OperationType | ''; label: string }[] = [
  { type: '', label: '全部' },
  ...(['topup', 'withdraw', 'transfer', 'payment'] as OperationType[]).map((type) => ({
    type,
    label: type === 'transfer' ? '转账' : TYPE_LABELS[type],
  })),
];

Component({
  data: {
    filters: FILTERS,
    type: '' as OperationType | '',
    loading: true,
    errorMessage: '',
    items: [] as OperationView[],
    nextCursor: null as string | null,
    loadingMore: false,
    moreError: '',
  },
  methods: {
    onLoad(query: { type?: string }) {
      const type = FILTERS.find((filter) => filter.type === query.type)?.type ?? '';
      this.setData({ type });
      void this.reload();
    },
    async onPullDownRefresh() {
      await this.reload(true);
      wx.stopPullDownRefresh();
    },
    onReachBottom() {
      void this.loadMore();
    },
    /** The first page of the current filter. */
    reload(quiet = false): Promise<void> {
      const type = this.data.type;
      return loadWithState(
        this,
        async () => {
          const page = await ledgerService.history({ limit: PAGE_SIZE, ...(type ? { type } : {}) });
          // the filter changed while this page was on its way: the newer request decides
          if (this.data.type !== type) return;
          this.setData({ items: page.items, nextCursor: page.nextCursor, moreError: '' });
        },
        '交易记录加载失败，请重试',
        quiet,
      );
    },
    async loadMore() {
      const { nextCursor, type, loadingMore } = this.data;
      if (!nextCursor || loadingMore) return;
      this.setData({ loadingMore: true, moreError: '' });
      try {
        const page = await ledgerService.history({ limit: PAGE_SIZE, cursor: nextCursor, ...(type ? { type } : {}) });
        if (this.data.type !== type || this.data.nextCursor !== nextCursor) return;
        this.setData({ items: [...this.data.items, ...page.items], nextCursor: page.nextCursor });
      } catch (error) {
        this.setData({ moreError: errorMessage(error, '加载失败，点击重试') });
      } finally {
        this.setData({ loadingMore: false });
      }
    },
    onSelectFilter(
      event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { type: OperationType | '' }>,
    ) {
      const type = event.currentTarget.dataset.type;
      if (type === this.data.type) return;
      this.setData({ type, items: [], nextCursor: null });
      void this.reload();
    },
    onRetry() {
      void this.reload();
    },
    onOpenOperation(event: { detail: { operationId: string } }) {
      void wx.navigateTo({ url: `${ROUTES.historyEntry}?id=${event.detail.operationId}` });
    },
  },
});
