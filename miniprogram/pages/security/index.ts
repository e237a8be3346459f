/**
 * Security centre: the real name (name + ID number, stated here and kept pending until the bank
 * confirms it with the first card the user binds — 绑定银行卡完成认证), and the pay password (set,
 * change), entered on the pay-password sheet step by step. The password can be set while the real
 * name is pending: adding that first card asks for it.
 */
import type { IdentityView, PendingIdentityView, ProfileView } from '../../../typings/user';
import { errorMessage, ServiceError } from '../../services/transport';
import { userService } from '../../services/user';
import { verifyService } from '../../services/verify';
import type { ValueEvent } from '../../utils/events';
import { loadWithState } from '../../utils/load';
import { SHEET_CLOSED, sheetErrorState } from '../../utils/pay-password';
import { ROUTES } from '../../utils/routes';
import { formatChinaMonthDayTime } from '../../utils/time';
import { rememberTypedIdNumber } from '../../utils/typed-id-number';

type Flow = 'set' | 'change';

/** The sheet's heading at each step of a flow; the last step sends the entries. */
const STEPS: Record<Flow, string[]> = {
  set: ['设置支付密码', '请再次输入以确认'],
  change: ['请输入原支付密码', '请设置新支付密码', '请再次输入新支付密码'],
};
const SET_HINT = '6位数字，不能是相同或连续的数字，也不能是生日';

/** After a failed change, which step to go back to: the old password's errors restart from it. */
const OLD_PASSWORD_ERRORS = ['PAY_PASSWORD_INCORRECT', 'PAY_PASSWORD_LOCKED', 'PAY_PASSWORD_NOT_SET'];

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    loading: true,
    errorMessage: '',
    profile: null as ProfileView | null,
    /** The identity the page shows: the verified one, else the pending one, else null (the form). */
    shown: null as IdentityView | PendingIdentityView | null,
    /** The pending identity's form is open again, to correct it. */
    editing: false,
    unlockText: '',
    name: '',
    idNumber: '',
    submitting: false,
    formError: '',
    sheet: { ...SHEET_CLOSED },
    _flow: 'set' as Flow,
    _step: 0,
    /** Entries so far; pure data, never rendered. */
    _entries: [] as string[],
  },
  methods: {
    /** Also on coming back: the first card bound on the add-card page has verified the real name. */
    onShow() {
      void this.loadProfile();
    },
    loadProfile() {
      return loadWithState(this, async () => this.showProfile(await userService.profile()), '加载失败，请重试');
    },
    showProfile(profile: ProfileView) {
      const { unlockAt } = profile.payPassword;
      this.setData({
        profile,
        shown: profile.identity ?? profile.pendingIdentity,
        unlockText: unlockAt ? `已锁定，${formatChinaMonthDayTime(unlockAt)}后可用` : '',
      });
    },
    onRetry() {
      void this.loadProfile();
    },
    onNameInput(event: ValueEvent<string>) {
      this.setData({ name: event.detail });
    },
    onIdNumberInput(event: ValueEvent<string>) {
      this.setData({ idNumber: event.detail });
    },
    async onSubmitRealName() {
      const name = this.data.name.trim();
      const idNumber = this.data.idNumber.trim();
      if (!name || !idNumber) {
        this.setData({ formError: '请填写姓名和身份证号' });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      try {
        const profile = await userService.verifyRealName(name, idNumber);
        // the add-card form fills it in: the bank checks the first card with the whole number
        rememberTypedIdNumber(idNumber);
        this.showProfile(profile);
        this.setData({ idNumber: '', editing: false });
        wx.showToast({ title: '已提交，绑定本人银行卡即完成认证', icon: 'none' });
      } catch (error) {
        this.setData({ formError: errorMessage(error, '提交失败，请重试') });
      } finally {
        this.setData({ submitting: false });
      }
    },
    onEditRealName() {
      this.setData({
        editing: true,
        name: this.data.profile?.pendingIdentity?.name ?? '',
        idNumber: '',
        formError: '',
      });
    },
    /** The first card completes the real name; adding it asks for the pay password, so that comes first. */
    async onBindCard() {
      if (this.data.profile?.payPassword.set) {
        void wx.navigateTo({ url: ROUTES.addCard });
        return;
      }
      const { confirm } = await wx.showModal({
        title: '请先设置支付密码',
        content: '添加银行卡时需要验证支付密码',
        confirmText: '去设置',
      });
      if (confirm) this.openFlow('set');
    },
    onSetPayPassword() {
      this.openFlow('set');
    },
    onChangePayPassword() {
      this.openFlow('change');
    },
    openFlow(flow: Flow) {
      this.setData({ _flow: flow, _step: 0, _entries: [] });
      this.showStep(0, { error: '', lockedMessage: '' });
    },
    showStep(step: number, state: { error: string; lockedMessage: string }) {
      const flow = this.data._flow;
      const creating = (flow === 'set' && step === 0) || (flow === 'change' && step === 1);
      this.setData({
        _step: step,
        _entries: this.data._entries.slice(0, step),
        sheet: { show: true, title: STEPS[flow][step]!, subtitle: creating ? SET_HINT : '', busy: false, ...state },
      });
    },
    /** The lock a refusal reports shows on the 修改支付密码 cell too, once the sheet is closed. */
    showLock(error: unknown) {
      const { profile } = this.data;
      if (!profile || !(error instanceof ServiceError) || error.code !== 'PAY_PASSWORD_LOCKED') return;
      const unlockAt = error.details?.unlockAt;
      if (typeof unlockAt !== 'number') return;
      this.showProfile({
        ...profile,
        payPassword: { ...profile.payPassword, locked: true, unlockAt, remainingAttempts: 0 },
      });
    },
    onSheetClose() {
      this.setData({ sheet: { ...SHEET_CLOSED }, _entries: [] });
    },
    async onPasswordComplete(event: ValueEvent<{ password: string }>) {
      const flow = this.data._flow;
      const entries = [...this.data._entries, event.detail.password];
      const step = this.data._step;
      if (step < STEPS[flow].length - 1) {
        this.setData({ _entries: entries });
        this.showStep(step + 1, { error: '', lockedMessage: '' });
        return;
      }
      this.setData({ 'sheet.busy': true });
      try {
        const status =
          flow === 'set'
            ? await verifyService.setPayPassword(entries[0]!, entries[1]!)
            : await verifyService.changePayPassword({
                oldPayPassword: entries[0]!,
                newPayPassword: entries[1]!,
                confirmPayPassword: entries[2]!,
              });
        this.setData({ sheet: { ...SHEET_CLOSED }, _entries: [] });
        if (this.data.profile) this.showProfile({ ...this.data.profile, payPassword: status });
        wx.showToast({ title: flow === 'set' ? '支付密码已设置' : '支付密码已修改', icon: 'success' });
      } catch (error) {
        this.showLock(error);
        const restart =
          flow === 'change' && !(error instanceof ServiceError && OLD_PASSWORD_ERRORS.includes(error.code)) ? 1 : 0;
        this.showStep(restart, sheetErrorState(error));
      }
    },
  },
});
