/**
 * The amount keypad of top-up, withdraw and transfer: digits, a point and delete on the mini
 * program's own keys (no system keyboard for amounts, as a real wallet does), and a confirm key.
 * The page owns the text; each key press sends the next text, which `utils/money.ts` keeps well
 * formed (no leading zeros, one point, at most two decimals).
 *
 * Properties
 *   value            String   the amount typed so far (`123.4`), as the page holds it
 *   confirmText      String   the confirm key's label: 充值, 提现, 下一步 …
 *   confirmDisabled  Boolean  nothing to confirm yet
 *   busy             Boolean  the page is working: keys do nothing, the confirm key spins
 *
 * Events
 *   change   detail { value }  the text after a key press (only when it changed)
 *   confirm                    the confirm key
 */
import { pressAmountKey } from '../../utils/money';

const DIGIT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '.'];

Component({
  properties: {
    value: { type: String, value: '' },
    confirmText: { type: String, value: '确定' },
    confirmDisabled: { type: Boolean, value: false },
    busy: { type: Boolean, value: false },
  },
  data: {
    keys: DIGIT_KEYS,
  },
  methods: {
    onKey(event: WechatMiniprogram.TouchEvent<Record<string, never>, Record<string, never>, { key: string }>) {
      if (this.data.busy) return;
      const value = pressAmountKey(this.data.value, event.currentTarget.dataset.key);
      if (value !== this.data.value) this.triggerEvent('change', { value });
    },
    onConfirm() {
      if (this.data.busy || this.data.confirmDisabled) return;
      this.triggerEvent('confirm');
    },
  },
});
