/**
 * vant's icon font loads from a CDN the preview cannot count on (offline machines, CI): the common
 * icons get text stand-ins, so an arrow still reads as an arrow. Other icons stay blank squares.
 */
const STAND_INS: Record<string, string> = {
  arrow: '›',
  'arrow-left': '‹',
  'arrow-up': '˄',
  'arrow-down': '˅',
  success: '✓',
  cross: '✕',
  plus: '+',
  minus: '−',
  checked: '✔',
  passed: '✔',
  fail: '✕',
  close: '✕',
  clear: '✕',
  circle: '○',
  info: 'ⓘ',
  'info-o': 'ⓘ',
  warning: '⚠',
  'warning-o': '⚠',
  'question-o': '?',
  search: '⌕',
  location: '⌖',
  'location-o': '⌖',
  phone: '☎',
  'phone-o': '☎',
  'clock-o': '◷',
  star: '★',
  'star-o': '☆',
  scan: '⌗',
  qr: '▦',
  'home-o': '⌂',
  'wap-home-o': '⌂',
  'user-o': '☺',
  'setting-o': '⚙',
  ellipsis: '…',
  'more-o': '…',
  card: '▭',
  'credit-pay': '▭',
  'balance-o': '¥',
  'gold-coin-o': '¥',
  'refund-o': '↺',
  exchange: '⇄',
  'bill-o': '☰',
  records: '☰',
  'orders-o': '☰',
  'todo-list-o': '☰',
  'notes-o': '☰',
  'chat-o': '✉',
  'envelop-o': '✉',
  edit: '✎',
  'eye-o': '◉',
  'closed-eye': '◌',
  'shop-o': '⌂',
  'calendar-o': '▦',
  'photo-o': '▣',
  replay: '↻',
  bell: '♪',
  lock: '⚿',
  'shield-o': '⛨',
  'add-o': '+',
  'cash-back-record': '↓',
  clock: '◷',
  revoke: '↺',
  'shopping-cart-o': '¥',
};

/** One rule per icon, more specific than vant's own `.van-icon--van-icon-<name>:before`. */
export function installVantIconStandIns(): void {
  const rules = Object.entries(STAND_INS).map(
    ([name, glyph]) => `.pv-pages .van-icon--van-icon-${name}::before{content:'${glyph}';font-family:sans-serif}`,
  );
  const style = document.createElement('style');
  style.id = 'preview-vant-icons';
  style.textContent = rules.join('\n');
  document.head.appendChild(style);
}
