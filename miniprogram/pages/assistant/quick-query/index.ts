/**
 * 免密查询 settings: whether balance and entries may be asked in the chat without the pay password,
 * until when, and for how long to turn it on (1/30/90 days, confirmed with the pay password). Turning
 * it off needs no password.
 */
import type { QuickQueryDays, QuickQueryOffReason, QuickQueryView } from '../../../../typings/assistant';
import { assistantService } from '../../../services/assistant';
import { errorMessage } from '../../../services/transport';
import type { DatasetEvent } from '../../../utils/events';
import { loadWithState } from '../../../utils/load';
import { formatChinaDateTime } from '../../../utils/time';
import { sheetErrorState } from '../../../utils/pay-password';

const OFF_REASONS: Record<QuickQueryOffReason, string> = {
  userDisabled: '已手动关闭',
  payPasswordChanged: '因修改支付密码已自动关闭',
  allCardsUnbound: '因解绑全部银行卡已自动关闭',
};

Component({
  data: {
    loading: true,
    errorMessage: '',
    enabled: false,
    statusLabel: '',
    validUntil: '',
    note: '',
    choices: [] as QuickQueryDays[],
    selectedDays: 30 as QuickQueryDays,
    busy: false,
    sheetVisible: false,
    sheetBusy: false,
    sheetLocked: '',
    sheetError: '',
  },
  methods: {
    onLoad() {
      void this.load();
    },
    show(view: QuickQueryView) {
      const expired = !view.enabled && view.expiresAt !== null && view.offReason === null;
      this.setData({
        enabled: view.enabled,
        statusLabel: view.enabled ? '已开启' : '未开启',
        validUntil: view.enabled && view.expiresAt ? formatChinaDateTime(view.expiresAt) : '',
        note: view.offReason ? OFF_REASONS[view.offReason] : expired ? '上次开启已到期' : '',
        choices: view.choices,
        selectedDays: view.choices.includes(this.data.selectedDays) ? this.data.selectedDays : view.choices[0]!,
      });
    },
    load() {
      return loadWithState(this, async () => this.show(await assistantService.quickQueryStatus()), '加载失败，请重试');
    },
    onRetry() {
      void this.load();
    },
    onChooseDays(event: DatasetEvent<{ days: QuickQueryDays }>) {
      this.setData({ selectedDays: Number(event.currentTarget.dataset.days) as QuickQueryDays });
    },
    onEnable() {
      this.setData({ sheetVisible: true, sheetError: '', sheetLocked: '' });
    },
    onSheetClose() {
      this.setData({ sheetVisible: false, sheetError: '', sheetLocked: '' });
    },
    /** The pay-password sheet's `complete` event. */
    async onPayPasswordComplete(event: { detail: { password: string } }) {
      this.setData({ busy: true, sheetBusy: true });
      try {
        const view = await assistantService.enableQuickQuery({
          days: this.data.selectedDays,
          payPassword: event.detail.password,
        });
        this.setData({ sheetVisible: false, sheetError: '' });
        this.show(view);
        wx.showToast({ title: '已开启免密查询', icon: 'success' });
      } catch (error) {
        const state = sheetErrorState(error);
        this.setData({ sheetError: state.error, sheetLocked: state.lockedMessage });
      } finally {
        this.setData({ busy: false, sheetBusy: false });
      }
    },
    async onDisable() {
      const answer = await wx.showModal({ title: '关闭免密查询', content: '关闭后查余额和明细需要输入支付密码。' });
      if (!answer.confirm) return;
      this.setData({ busy: true });
      try {
        this.show(await assistantService.disableQuickQuery());
        wx.showToast({ title: '已关闭', icon: 'success' });
      } catch (error) {
        wx.showToast({ title: errorMessage(error, '操作失败'), icon: 'none' });
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
