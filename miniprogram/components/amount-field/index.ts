/**
 * The amount as it is typed on the amount keypad: a label, ¥ and the text in large type with a
 * caret while the keypad is on it, an error line, and a slot for what a page adds under it
 * (全部提现, the fee).
 *
 * Properties
 *   label    String   充值金额, 提现金额, 转账金额
 *   value    String   the text typed so far (`123.4`)
 *   active   Boolean  the keypad is typing into it (shows the caret)
 *   error    String   why the amount cannot be used, or ''
 * Events
 *   focus   the field was tapped (a page with other fields shows its keypad then)
 */
Component({
  properties: {
    label: { type: String, value: '金额' },
    value: { type: String, value: '' },
    active: { type: Boolean, value: true },
    error: { type: String, value: '' },
  },
  methods: {
    onTap() {
      this.triggerEvent('focus');
    },
  },
});
