/**
 * Pay-password sheet: six boxes and the mini program's own digit keyboard (no system keyboard,
 * so no other app or input method sees the digits). Used wherever a pay password is asked for:
 * setting and changing it, binding and unbinding cards, and the ledger's top-up, withdraw,
 * transfer and pay.
 *
 * Properties
 *   show           Boolean  open or closed (the page owns this)
 *   title          String   heading, default 请输入支付密码
 *   subtitle       String   what the password is for: 绑定银行卡, ¥100.00 …
 *   busy           Boolean  the page is checking the password: keys do nothing, a spinner shows
 *   error          String   the server's message for the last try ("支付密码错误，还可以再试4次"):
 *                           the boxes clear and shake and the message shows under them
 *   lockedMessage  String   the password is locked: this message (with the time left) replaces
 *                           the keyboard
 *
 * Events
 *   complete  detail { password }  six digits entered — the page sends them with its request
 *   close                          the user closed the sheet (× or the overlay)
 *
 * The boxes clear when the sheet opens, when `title` changes (the next step of a flow) and when
 * `error` is set. `utils/pay-password.ts` turns a failed call into { error, lockedMessage }.
 */
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'blank', '0', 'delete'];
const LENGTH = 6;

Component({
  properties: {
    show: { type: Boolean, value: false },
    title: { type: String, value: '请输入支付密码' },
    subtitle: { type: String, value: '' },
    busy: { type: Boolean, value: false },
    error: { type: String, value: '' },
    lockedMessage: { type: String, value: '' },
  },
  data: {
    digits: '',
    boxes: [0, 1, 2, 3, 4, 5],
    keys: KEYS,
    /** Counts error shakes; the class alternates so the animation restarts every time. */
    shakes: 0,
  },
  observers: {
    show(show: boolean) {
      if (show) this.setData({ digits: '' });
    },
    title() {
      this.setData({ digits: '' });
    },
    error(error: string) {
      if (error) this.setData({ digits: '', shakes: this.data.shakes + 1 });
    },
  },
  methods: {
    onKey(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { key: string }>) {
      if (this.data.busy || this.data.lockedMessage) return;
      const key = event.currentTarget.dataset.key;
      const { digits } = this.data;
      if (key === 'delete') {
        this.setData({ digits: digits.slice(0, -1) });
        return;
      }
      if (!/^\d$/.test(key) || digits.length >= LENGTH) return;
      const next = digits + key;
      this.setData({ digits: next });
      if (next.length === LENGTH) this.triggerEvent('complete', { password: next });
    },
    onClose() {
      this.triggerEvent('close');
    },
  },
});
