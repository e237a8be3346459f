/**
 * The sandbox bank's test cards, like a payment provider's test-card table: each number (valid
 * for its bank in the BIN table) triggers one outcome. The README shows this table; a test keeps
 * the two in step. Any other number of a supported bank behaves like DEFAULT_CARD.
 *
 * Every test card's reserved phone is SANDBOX_RESERVED_PHONE (unless the card names its own); any other phone is refused as a
 * reserved-phone mismatch. A card's account is opened in the name and ID number of the first
 * person who binds it — so in the sandbox a fresh card confirms whatever real name is stated, where
 * a real bank checks its own records; afterwards another holder is refused (HOLDER_MISMATCH).
 * Debits (top-ups) stay within the card's daily quick-payment limit (QUICK_PAY_DAILY_LIMIT_FEN).
 *
 * Extending it (the ledger): add fields to TestCard (e.g. how debits, credits or transfers to the
 * card turn out) and read them in bank.ts; `openingBalanceFen` is the account's balance when it
 * is opened.
 */

/** What the bank answers when the card is verified for binding. */
export type BindBehaviour =
  | 'success'
  /** The account belongs to someone else: any holder is refused. */
  | 'holder_mismatch'
  | 'frozen'
  | 'closed'
  /** Refused with no reason given. */
  | 'declined'
  /** The bank does not sign this card for quick payment. */
  | 'unsupported'
  /** The bank never answers (a timeout, reported at once). */
  | 'no_answer';

/**
 * How payments that touch the card turn out (top-up debits, withdrawal credits, transfers to it):
 *  - `normal`: debits succeed at once while the balance covers them; credits and transfers are
 *    accepted and succeed CONFIG.sandbox.settleAfterMs later;
 *  - `decline`: refused at once;
 *  - `fail_later`: accepted, then given back (transfers: 户名不符; credits: 卡片已销户);
 *  - `no_answer`: accepted, then the bank is silent (every status query times out) for
 *    CONFIG.sandbox.silentForMs, after which it answers success.
 */
export type PaymentBehaviour = 'normal' | 'decline' | 'fail_later' | 'no_answer';

export interface TestCard {
  number: string;
  /** Who it is, in the README's words. */
  description: string;
  bind: BindBehaviour;
  openingBalanceFen: number;
  /** Defaults to `normal`. */
  payment?: PaymentBehaviour;
  /** Defaults to SANDBOX_RESERVED_PHONE. */
  reservedPhone?: string;
  /** The card's daily quick-payment limit, when its holder had it changed at the bank; else by card type. */
  quickPayDailyLimitFen?: number;
}

/**
 * Daily quick-payment (快捷支付) limits by card type, as the big banks set them by default for cards
 * bound to a payment app: ¥50,000 a day for a debit card, ¥20,000 for a credit card (holders may
 * have them changed at their bank; a test card says so with its own `quickPayDailyLimitFen`).
 */
export const QUICK_PAY_DAILY_LIMIT_FEN = { debit: 5_000_000, credit: 2_000_000 } as const;

export const SANDBOX_RESERVED_PHONE = '13800138000';

/**
 * Demo user B's card, bound by the local host's seed. It has a reserved phone of its own, so the
 * seed's SMS code never holds up the 60-second resend interval of the phone everyone else uses.
 */
export const DEMO_SEED_CARD = { number: '6222020000000000158', reservedPhone: '13800138001' } as const;

export const DEFAULT_OPENING_BALANCE_FEN = 1_000_000;

export const TEST_CARDS: readonly TestCard[] = [
  {
    number: '6222020000000000018',
    description: '工商银行储蓄卡：绑定成功，余额充足，快捷支付限额已提高到每日 ¥200,000',
    bind: 'success',
    openingBalanceFen: 10_000_000,
    quickPayDailyLimitFen: 20_000_000,
  },
  {
    number: '6217000000000000020',
    description: '建设银行储蓄卡：绑定成功',
    bind: 'success',
    openingBalanceFen: 5_000_000,
  },
  {
    number: '6225880000000035',
    description: '招商银行储蓄卡：绑定成功',
    bind: 'success',
    openingBalanceFen: 2_000_000,
  },
  {
    number: '6225750000000048',
    description: '招商银行信用卡：绑定成功（未成年人不可绑定）',
    bind: 'success',
    openingBalanceFen: 3_000_000,
  },
  {
    number: '6228480000000000059',
    description: '农业银行储蓄卡：绑定成功，余额为 0',
    bind: 'success',
    openingBalanceFen: 0,
  },
  {
    number: '6225160000000124',
    description: '浦发银行储蓄卡：Luhn 校验不通过，但银行确认有效（绑定成功并提示）',
    bind: 'success',
    openingBalanceFen: 1_000_000,
  },
  {
    number: '6222600000000000065',
    description: '交通银行储蓄卡：持卡人信息不符（户主是他人）',
    bind: 'holder_mismatch',
    openingBalanceFen: 0,
  },
  { number: '6216600000000000075', description: '中国银行储蓄卡：卡片已冻结', bind: 'frozen', openingBalanceFen: 0 },
  { number: '6217990000000000089', description: '邮储银行储蓄卡：卡片已销户', bind: 'closed', openingBalanceFen: 0 },
  {
    number: '6226600000000093',
    description: '光大银行储蓄卡：银行拒绝（无原因）',
    bind: 'declined',
    openingBalanceFen: 0,
  },
  {
    number: '622908000000000111',
    description: '兴业银行储蓄卡：银行不支持该卡快捷支付',
    bind: 'unsupported',
    openingBalanceFen: 0,
  },
  {
    number: DEMO_SEED_CARD.number,
    description: '工商银行储蓄卡：演示用户 B 的卡（预留手机 13800138001），本地服务启动时自动绑定',
    bind: 'success',
    openingBalanceFen: 2_000_000,
    reservedPhone: DEMO_SEED_CARD.reservedPhone,
  },
  {
    number: '6217000000000000160',
    description: '建设银行储蓄卡（收款卡）：转账受理后按时到账',
    bind: 'success',
    openingBalanceFen: 0,
    payment: 'normal',
  },
  {
    number: '6222020000000000125',
    description: '工商银行储蓄卡（收款卡）：转账被收款行立即拒绝',
    bind: 'success',
    openingBalanceFen: 0,
    payment: 'decline',
  },
  {
    number: '6222020000000000133',
    description: '工商银行储蓄卡（收款卡）：转账受理后被退回（户名不符），资金原路返回',
    bind: 'success',
    openingBalanceFen: 0,
    payment: 'fail_later',
  },
  {
    number: '6222020000000000141',
    description: '工商银行储蓄卡（收款卡）：转账受理后银行长时间无应答，之后到账',
    bind: 'success',
    openingBalanceFen: 0,
    payment: 'no_answer',
  },
  {
    number: '6217670000000105',
    description: '中信银行储蓄卡：银行无应答（超时）',
    bind: 'no_answer',
    openingBalanceFen: 0,
  },
];

/**
 * Not a sandbox outcome but worth a row in the README: a bank the BIN table knows and our gateway
 * does not connect (平安银行). Refused before the bank is asked.
 */
export const UNSUPPORTED_BANK_CARD = '6222980000000135';

export const DEFAULT_CARD: Omit<TestCard, 'number'> = {
  description: '其他受支持银行的卡号：绑定成功',
  bind: 'success',
  openingBalanceFen: DEFAULT_OPENING_BALANCE_FEN,
};

const BY_NUMBER = new Map(TEST_CARDS.map((card) => [card.number, card]));

export function testCardFor(cardNumber: string): TestCard {
  return BY_NUMBER.get(cardNumber) ?? { number: cardNumber, ...DEFAULT_CARD };
}
