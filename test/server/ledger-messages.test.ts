/**
 * The words of every balance-change message, state by state: what the message centre shows and the
 * subscribe message's fields (change type, amount — amount + fee for money going out — time, note).
 * A state that moves no money (a top-up on its way or refused) has no message.
 */
import { operationMessage } from '../../server/domain/ledger/messages';
import { baseOperation } from '../../server/domain/ledger/operations';
import type { WalletOperationDoc } from '../../server/domain/collections';

const AT = Date.UTC(2026, 11, 7, 2, 30); // 10:30 in China
const CARD = {
  kind: 'card' as const,
  bankCode: 'ICBC',
  name: '工商银行',
  cardType: 'debit' as const,
  lastFour: '0018',
  maskedHolder: null,
};

function op(fields: Partial<WalletOperationDoc>): WalletOperationDoc {
  return baseOperation('op_msg_0001', 'u_1', AT, {
    type: 'withdraw',
    amountFen: 12_345,
    feeFen: 12,
    counterparty: CARD,
    expectedArrivalAt: AT + 2 * 60 * 60 * 1000,
    ...fields,
  });
}

/** A balance change's fields (the fund-change template's). */
const fieldsOf = (message: NonNullable<ReturnType<typeof operationMessage>>) =>
  message.fields as Record<'kind' | 'amount' | 'time' | 'note', string>;

const words = (doc: WalletOperationDoc) => {
  const message = operationMessage(doc);
  return (
    message && {
      title: message.title,
      body: message.body,
      note: fieldsOf(message).note,
      amount: fieldsOf(message).amount,
    }
  );
};

test('a withdrawal: accepted with its fee and arrival, arrived, returned and failed with the reason', () => {
  expect(words(op({}))).toEqual({
    title: '提现已受理',
    body: '提现 ¥123.45 到工商银行(0018)，手续费 ¥0.12，预计 2026-12-07 12:30 前到账。',
    note: '提现到工商银行(0018)',
    amount: '¥123.57',
  });
  expect(words(op({ feeFen: 0, expectedArrivalAt: null }))).toMatchObject({
    body: '提现 ¥123.45 到工商银行(0018)。',
    amount: '¥123.45',
  });
  expect(words(op({ status: 'SUCCEEDED' }))).toEqual({
    title: '提现到账',
    body: '提现 ¥123.45 已到账工商银行(0018)。',
    note: '已到账工商银行(0018)',
    amount: '¥123.57',
  });
  expect(words(op({ status: 'RETURNED', failureMessage: '银行卡已销户，资金已原路退回零钱' }))).toEqual({
    title: '提现已退回',
    body: '提现 ¥123.45 到工商银行(0018)未成功：银行卡已销户，资金已原路退回零钱。',
    note: '资金已退回零钱',
    amount: '¥123.57',
  });
  expect(words(op({ status: 'FAILED', failureMessage: '银行拒绝了这笔交易' }))).toMatchObject({
    title: '提现失败',
    body: '提现 ¥123.45 到工商银行(0018)未成功：银行拒绝了这笔交易。',
  });
  expect(words(op({ status: 'FAILED' }))).toMatchObject({ body: '提现 ¥123.45 到工商银行(0018)未成功：。' });
});

test('a transfer: submitted, arrived, returned and failed, the payee named as everywhere', () => {
  const transfer = (fields: Partial<WalletOperationDoc>) =>
    op({ type: 'transfer', counterparty: { ...CARD, maskedHolder: '*小明' }, ...fields });
  expect(words(transfer({}))).toEqual({
    title: '转账已提交',
    body: '向工商银行(0018) *小明转账 ¥123.45，手续费 ¥0.12，预计 2026-12-07 12:30 前到账。',
    note: '转给工商银行(0018) *小明',
    amount: '¥123.57',
  });
  expect(words(transfer({ status: 'SUCCEEDED' }))).toMatchObject({
    title: '转账成功',
    body: '向工商银行(0018) *小明转账 ¥123.45，对方已到账。',
  });
  expect(words(transfer({ status: 'RETURNED', failureMessage: '收款人户名与卡号不符' }))).toMatchObject({
    title: '转账已退回',
    body: '向工商银行(0018) *小明转账 ¥123.45未成功：收款人户名与卡号不符。',
    note: '资金已退回零钱',
  });
  expect(words(transfer({ status: 'FAILED', failureMessage: '银行拒绝了这笔交易' }))).toMatchObject({
    title: '转账失败',
  });
});

test('a top-up speaks only once it arrived, for the amount alone; a payment names the merchant and order', () => {
  const topup = (fields: Partial<WalletOperationDoc>) => op({ type: 'topup', feeFen: 0, ...fields });
  expect(words(topup({}))).toBeNull();
  expect(words(topup({ status: 'FAILED', failureMessage: '银行卡余额不足' }))).toBeNull();
  expect(words(topup({ status: 'SUCCEEDED' }))).toEqual({
    title: '充值成功',
    body: '从工商银行(0018)充值 ¥123.45，已到账零钱。',
    note: '已到账零钱',
    amount: '¥123.45',
  });
  const merchant = {
    kind: 'merchant' as const,
    bankCode: null,
    name: '沙箱咖啡',
    cardType: null,
    lastFour: null,
    maskedHolder: null,
  };
  expect(
    words(
      op({
        type: 'payment',
        status: 'SUCCEEDED',
        feeFen: 0,
        counterparty: merchant,
        order: { merchantId: 'm1', orderNo: 'NO123' },
      }),
    ),
  ).toEqual({
    title: '付款成功',
    body: '向沙箱咖啡付款 ¥123.45（订单号 NO123）。',
    note: '付给沙箱咖啡',
    amount: '¥123.45',
  });
  expect(words(op({ type: 'payment', status: 'SUCCEEDED', feeFen: 0, counterparty: merchant }))).toMatchObject({
    body: '向沙箱咖啡付款 ¥123.45。',
  });
});

test('each message is step 1 while processing and step 2 once it ends, of one subject per operation', () => {
  const processing = operationMessage(op({}))!;
  const ended = operationMessage(op({ status: 'SUCCEEDED', updatedAt: AT + 60_000 }))!;
  expect(processing).toMatchObject({
    subject: 'ledger:op_msg_0001',
    step: 1,
    userId: 'u_1',
    kind: 'ledger.withdraw.PROCESSING',
    link: '/pages/history/detail/index?id=op_msg_0001',
    template: 'fundChange',
  });
  expect(processing.fields).toMatchObject({ kind: '零钱提现', time: '2026-12-07 10:30' });
  expect(ended).toMatchObject({ subject: 'ledger:op_msg_0001', step: 2, kind: 'ledger.withdraw.SUCCEEDED' });
  expect(fieldsOf(ended).time).toBe('2026-12-07 10:31');
});
