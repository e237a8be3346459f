/**
 * Adding a card, in the steps the bank requires: the pay password (for a `cards.bind` ticket) →
 * card number (bank and type shown as it is typed), holder name (locked to the stated real name),
 * ID number (filled in when it was typed in this session; the server keeps only its last four) and
 * the bank-reserved phone → the SMS code (resend after a countdown). The first card of a user whose
 * real name is pending completes it: the bank confirms name, ID number, card and phone together.
 * Where the sandbox is the SMS gateway (local host, or a test environment in the cloud) a 测试环境
 * banner shows the code it "sent"; where a real provider sends, that action does not exist and
 * the banner never appears.
 */
import type { BindStartView, CardDetectionView, SandboxSmsCodeView } from '../../../../typings/cards';
import { cardsService } from '../../../services/cards';
import { errorMessage, ServiceError } from '../../../services/transport';
import { userService } from '../../../services/user';
import { verifyService } from '../../../services/verify';
import type { ValueEvent } from '../../../utils/events';
import { loadWithState } from '../../../utils/load';
import { SHEET_CLOSED, sheetErrorState } from '../../../utils/pay-password';
import { ROUTES } from '../../../utils/routes';
import { cancel, cancelAll, every, later } from '../../../utils/timers';
import { rememberTypedIdNumber, typedIdNumberEnding } from '../../../utils/typed-id-number';

const STEPS = [{ text: '验证身份' }, { text: '填写卡信息' }, { text: '短信验证' }];
const TICKET_ERRORS = ['TICKET_INVALID', 'TICKET_EXPIRED'];

Component({
  options: { pureDataPattern: /^_/ },
  data: {
    steps: STEPS,
    step: 0,
    loading: true,
    errorMessage: '',
    /** Why the page cannot be used yet (no real name or pay password), with a way to fix it. */
    blocked: '',
    holderName: '',
    /** The stated identity's last four: what the ID number must end with. */
    idLastFour: '',
    /** The real name is pending: this card, once bound, completes it. */
    completesRealName: false,
    sheet: { ...SHEET_CLOSED },
    cardNumber: '',
    detection: null as CardDetectionView | null,
    idNumber: '',
    phone: '',
    submitting: false,
    formError: '',
    binding: null as BindStartView | null,
    smsCode: '',
    smsError: '',
    confirming: false,
    resendSeconds: 0,
    /** The sandbox's code for this binding (the 测试环境 banner); null until the sandbox answered. */
    sandboxSms: null as SandboxSmsCodeView | null,
    sandboxSmsBusy: false,
    sandboxSmsError: '',
    /** The sandboxSmsCode action does not exist here (a real SMS provider): never ask again. */
    _noSandboxSms: false,
    _ticket: '',
  },
  lifetimes: {
    detached() {
      cancelAll(this);
    },
  },
  methods: {
    onLoad() {
      void this.load();
    },
    load() {
      this.setData({ blocked: '' });
      return loadWithState(
        this,
        async () => {
          const profile = await userService.profile();
          const stated = profile.identity ?? profile.pendingIdentity;
          if (!stated) this.setData({ blocked: '添加银行卡前请先完成实名认证：填写姓名和身份证号' });
          else if (!profile.payPassword.set) this.setData({ blocked: '添加银行卡前请先设置支付密码' });
          else {
            const idLastFour = stated.idNumberMasked.slice(-4);
            this.setData({
              holderName: stated.name,
              idLastFour,
              completesRealName: !profile.identity,
            });
            this.askPassword('');
          }
        },
        '加载失败，请重试',
      );
    },
    onRetry() {
      void this.load();
    },
    onGoSecurity() {
      void wx.redirectTo({ url: ROUTES.security });
    },

    // Step 0: the pay password, exchanged for a ticket the binding spends.
    askPassword(error: string) {
      this.setData({
        step: 0,
        sheet: { ...SHEET_CLOSED, show: true, title: '请输入支付密码', subtitle: '验证身份以添加银行卡', error },
      });
    },
    onAskPassword() {
      this.askPassword('');
    },
    onSheetClose() {
      this.setData({ sheet: { ...SHEET_CLOSED } });
    },
    async onPasswordComplete(event: ValueEvent<{ password: string }>) {
      this.setData({ 'sheet.busy': true });
      try {
        const { ticket } = await verifyService.verifyPayPassword(event.detail.password, 'cards.bind');
        this.setData({
          _ticket: ticket,
          sheet: { ...SHEET_CLOSED },
          step: 1,
          // typed in this session (the real-name form, an earlier card): not asked again
          idNumber: this.data.idNumber || typedIdNumberEnding(this.data.idLastFour),
        });
      } catch (error) {
        this.setData({ sheet: { ...this.data.sheet, busy: false, ...sheetErrorState(error) } });
      }
    },

    // Step 1: the card and its holder.
    onCardInput(event: ValueEvent<string>) {
      const digits = event.detail.replace(/\D/g, '').slice(0, 19);
      this.setData({ cardNumber: digits, formError: '' });
      if (digits.length < 6) {
        cancel(this, 'detect');
        this.setData({ detection: null });
        return;
      }
      later(this, 'detect', 250, () => void this.detect(digits));
    },
    async detect(digits: string) {
      try {
        const detection = await cardsService.detect(digits);
        if (this.data.cardNumber === digits) this.setData({ detection });
      } catch {
        // detection is a help while typing; the binding itself reports any problem
      }
    },
    onIdInput(event: ValueEvent<string>) {
      this.setData({ idNumber: event.detail.trim(), formError: '' });
    },
    onPhoneInput(event: ValueEvent<string>) {
      this.setData({ phone: event.detail.trim(), formError: '' });
    },
    async onSubmitCard() {
      const { cardNumber, idNumber, phone, holderName } = this.data;
      if (!cardNumber || !idNumber || !phone) {
        this.setData({ formError: '请填写卡号、身份证号和银行预留手机号' });
        return;
      }
      this.setData({ submitting: true, formError: '' });
      try {
        const binding = await cardsService.bindStart({
          cardNumber,
          holderName,
          idNumber,
          reservedPhone: phone,
          ticket: this.data._ticket,
        });
        // the bank accepted it as the holder's: worth filling in for the next card of this session
        rememberTypedIdNumber(idNumber);
        this.setData({
          binding,
          step: 2,
          smsCode: '',
          smsError: '',
          sandboxSms: null,
        });
        this.startCountdown(binding.sms.resendAt - binding.sms.sentAt);
        void this.loadSandboxSms();
      } catch (error) {
        if (error instanceof ServiceError && TICKET_ERRORS.includes(error.code)) this.askPassword(error.message);
        else this.setData({ formError: errorMessage(error, '提交失败，请重试') });
      } finally {
        this.setData({ submitting: false });
      }
    },

    // Step 2: the SMS code.
    startCountdown(ms: number) {
      const endsAt = Date.now() + ms;
      const tick = () => {
        const resendSeconds = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
        this.setData({ resendSeconds });
        if (resendSeconds === 0) cancel(this, 'countdown');
      };
      tick();
      every(this, 'countdown', 1000, tick);
    },
    onCodeInput(event: ValueEvent<string>) {
      this.setData({ smsCode: event.detail.trim(), smsError: '' });
    },
    async onResend() {
      const binding = this.data.binding;
      if (!binding || this.data.resendSeconds > 0) return;
      try {
        const sms = await verifyService.resendSms(binding.sms.challengeId, this.data.phone);
        this.setData({ 'binding.sms': sms, smsError: '' });
        this.startCountdown(sms.resendAt - sms.sentAt);
        void this.loadSandboxSms();
      } catch (error) {
        const retryAfterMs = error instanceof ServiceError ? error.details?.retryAfterMs : undefined;
        if (typeof retryAfterMs === 'number') this.startCountdown(retryAfterMs);
        this.setData({ smsError: errorMessage(error, '发送失败，请重试') });
      }
    },
    /** The 测试环境 banner: the code the sandbox sent, asked for after each send and on 刷新. */
    async loadSandboxSms() {
      const binding = this.data.binding;
      if (!binding || this.data._noSandboxSms) return;
      this.setData({ sandboxSmsBusy: true });
      try {
        const sandboxSms = await cardsService.sandboxSmsCode(binding.bindingId);
        this.setData({ sandboxSms, sandboxSmsError: '' });
      } catch (error) {
        // INVALID_ARGUMENT can only mean the action does not exist: the request is the server's own id.
        if (error instanceof ServiceError && error.code === 'INVALID_ARGUMENT') {
          this.setData({ _noSandboxSms: true, sandboxSms: null, sandboxSmsError: '' });
        } else {
          this.setData({ sandboxSmsError: errorMessage(error, '获取失败，请刷新') });
        }
      } finally {
        this.setData({ sandboxSmsBusy: false });
      }
    },
    onRefreshSandboxSms() {
      if (!this.data.sandboxSmsBusy) void this.loadSandboxSms();
    },
    async onConfirm() {
      const binding = this.data.binding;
      if (!binding) return;
      if (!/^\d{6}$/.test(this.data.smsCode)) {
        this.setData({ smsError: '请输入6位验证码' });
        return;
      }
      this.setData({ confirming: true, smsError: '' });
      try {
        await cardsService.bindConfirm(binding.bindingId, this.data.smsCode);
        cancelAll(this);
        if (this.data.completesRealName) wx.showToast({ title: '绑定成功，已完成实名认证', icon: 'none' });
        else wx.showToast({ title: '绑定成功', icon: 'success' });
        void wx.navigateBack();
      } catch (error) {
        this.setData({ smsError: errorMessage(error, '绑定失败，请重试') });
      } finally {
        this.setData({ confirming: false });
      }
    },
  },
});
