/**
 * The wallet's money-moving actions. Each follows the same three steps:
 *  1. outside any transaction: answer a replayed requestId, check the pay password or ticket;
 *  2. one transaction: spend the ticket, check limits, book the first half (a top-up books nothing
 *     yet; a withdrawal or transfer moves amount + fee from the wallet to transit), create the
 *     operation and its idempotency key — all or nothing;
 *  3. ask the bank (outside the transaction: it is a side effect), then book its answer with
 *     resolveOperation, or leave the operation PROCESSING for `settle` when the answer is pending
 *     or did not come.
 * A crash between 2 and 3 leaves a PROCESSING operation that `settle` resolves by asking the bank
 * about its reference: UNKNOWN there means the request never arrived and nothing moved — but only
 * once SUBMISSION_GRACE_MS have passed since booking, since until then a request may still be on
 * its way (a timed-out call can arrive late) and giving the money back then would pay it twice.
 * Every state that moves money writes the user's message (message centre + outbox) in the
 * transaction that books it; it is sent after the commit (notify/).
 */
import type {
  OperationView,
  TopupRequest,
  TransferPayee,
  TransferQuoteRequest,
  TransferQuoteView,
  TransferToCardRequest,
  WithdrawQuoteRequest,
  WithdrawQuoteView,
  WithdrawRequest,
} from '../../../typings/ledger';
import type { CardType } from '../../../typings/cards';
import type { SensitiveCredentialFields, SensitivePurpose } from '../../../typings/verify';
import { CONFIG } from '../../config';
import { requireBindableCard } from '../cards/detect';
import { getOwnedCard, type OwnedCard } from '../cards/cards';
import type { Collections, WalletOperationDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { lastFour, maskName } from '../mask';
import { deliverMessages } from '../notify/delivery';
import { recordMessage } from '../notify/messages';
import { BankUnavailableError, type CardTransfer, type PaymentState } from '../ports/bank';
import { payeeCardView, readReceiveToken, requireLiveReceiveCode, type ReceivePayee } from '../qrcode/receive';
import type { DocumentOps } from '../ports/store';
import { chinaDayKey } from '../time';
import { requireUser, type Caller } from '../users/session';
import { checkCredential, consumeAuthorization, credentialFrom } from '../verify/authorize';
import { HOUSE_ACCOUNTS, walletAccountId } from './accounts';
import { maxWithdrawable, transferFeeFen, withdrawFee } from './fees';
import { dailyTransferId, quotaLeft, withdrawQuota } from './quota';
import { earlierPayloadHashes, findReplay, payloadHash, recordKey } from './idempotency';
import { appendEntry, holdEntryId } from './journal';
import { payeeCardKey, requireNameChecksLeft } from './name-guard';
import { operationMessage } from './messages';
import { resolveOperation } from './resolution';
import { counterpartyLabel, operationView } from './views';

/**
 * How long after booking `settle` leaves an operation to its own submission, and before which the
 * bank's UNKNOWN is not believed (longer than any bank call, timeouts included).
 */
export const SUBMISSION_GRACE_MS = 2 * 60 * 1000;
/** How soon `settle` asks again about an operation the bank has accepted or did not answer for. */
export const RECHECK_AFTER_MS = 5 * 1000;

export function requireAmountWithin(amountFen: number, limitFen: number, what: string): void {
  if (amountFen > limitFen) {
    throw new AppError('AMOUNT_LIMIT_EXCEEDED', `${what}单笔不能超过 ¥${(limitFen / 100).toLocaleString('en-US')}`, {
      limitFen,
    });
  }
}

export interface Submission {
  userId: string;
  requestId: string;
  action: string;
  /** The fields that define the operation (credentials excluded). */
  payload: Record<string, unknown>;
  credential: SensitiveCredentialFields;
  purpose: SensitivePurpose;
  /** Refusals that do not depend on the credential (checked before it, so no pay password is spent on them). */
  precheck?: () => Promise<void>;
  /** Books the first half inside the transaction and returns the new operation. */
  book(tx: DocumentOps<Collections>, now: number, operationId: string): Promise<WalletOperationDoc>;
}

export interface Submitted {
  op: WalletOperationDoc;
  /** An earlier request's operation, answered as it stands: nothing else happens. */
  replayed: boolean;
  /** The booking's message going out (claimed in the booking's transaction); never rejects. */
  delivered: Promise<void>;
}

/** Steps 1 and 2. */
export async function submit(deps: DomainDeps, submission: Submission): Promise<Submitted> {
  const { store } = deps;
  const hash = payloadHash(deps.secrets, submission.action, submission.payload);
  const earlierHashes = earlierPayloadHashes(deps.secrets, submission.action, submission.payload);
  const replay = async (operationId: string) => {
    const op = await store.get('walletOperations', operationId);
    if (!op) throw new AppError('INTERNAL');
    return { op, replayed: true, delivered: Promise.resolve() };
  };
  const earlierId = await findReplay(
    store,
    submission.userId,
    submission.requestId,
    submission.action,
    hash,
    earlierHashes,
  );
  if (earlierId) return replay(earlierId);
  await submission.precheck?.();
  const authorization = await checkCredential(
    deps,
    submission.userId,
    credentialFrom(submission.credential),
    submission.purpose,
  );
  const operationId = deps.ids.next('op');
  const result = await store.transaction(async (tx) => {
    const replayedId = await findReplay(
      tx,
      submission.userId,
      submission.requestId,
      submission.action,
      hash,
      earlierHashes,
    );
    if (replayedId) return { replayedId };
    const now = deps.clock.now();
    await consumeAuthorization(tx, authorization, now);
    const op = await submission.book(tx, now, operationId);
    await tx.create('walletOperations', op);
    await recordKey(
      tx,
      { userId: submission.userId, requestId: submission.requestId, action: submission.action, hash, operationId },
      now,
    );
    const message = operationMessage(op);
    return { op, delivery: message ? await recordMessage(tx, message, now) : null };
  });
  if ('replayedId' in result) return replay(result.replayedId!);
  return { op: result.op!, replayed: false, delivered: deliverMessages(deps, [result.delivery ?? null]) };
}

/** The bank's answer to the call that sends the operation; null when none came. */
async function callBank(
  deps: DomainDeps,
  op: WalletOperationDoc,
  send: () => Promise<PaymentState>,
): Promise<PaymentState | null> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof BankUnavailableError)) {
      deps.log.error('ledger.bank_call_failed', {
        operationId: op.id,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
    return null;
  }
}

/**
 * Step 3: the bank asked while the booking's message goes out; its immediate answer booked after
 * both (so the user's messages arrive in order), PROCESSING left for settle otherwise.
 */
async function askBank(
  deps: DomainDeps,
  submitted: Submitted,
  send: () => Promise<PaymentState>,
): Promise<OperationView> {
  const { op } = submitted;
  if (submitted.replayed) return operationView(op);
  const [state] = await Promise.all([callBank(deps, op, send), submitted.delivered]);
  // UNKNOWN to the very call that sent it is no answer either: settle asks again (and waits out the grace).
  if (state && state.state !== 'PENDING' && state.state !== 'UNKNOWN')
    return operationView((await resolveOperation(deps, op.id, state, true)) ?? op);
  // Pending, or no answer came: settle asks again soon.
  const nextCheckAt = deps.clock.now() + RECHECK_AFTER_MS;
  await deps.store.update('walletOperations', op.id, { nextCheckAt });
  return operationView({ ...op, nextCheckAt });
}

export function baseOperation(
  id: string,
  userId: string,
  now: number,
  fields: Pick<WalletOperationDoc, 'type' | 'amountFen' | 'feeFen' | 'counterparty'> & Partial<WalletOperationDoc>,
): WalletOperationDoc {
  return {
    id,
    userId,
    status: 'PROCESSING',
    quotaUsedFen: 0,
    quotaKey: null,
    cardId: null,
    speed: null,
    failureReason: null,
    failureMessage: null,
    limitDay: null,
    entryIds: [],
    createdAt: now,
    updatedAt: now,
    expectedArrivalAt: null,
    resolvedAt: null,
    nextCheckAt: now + SUBMISSION_GRACE_MS,
    ...fields,
  };
}

export async function topup(deps: DomainDeps, caller: Caller, input: TopupRequest): Promise<OperationView> {
  const user = await requireUser(deps, caller);
  requireAmountWithin(input.amountFen, CONFIG.ledger.maxTopupFen, '充值');
  const card = await getOwnedCard(deps, user.id, input.cardId);
  requireDebitCard(card, 'topup');
  const submitted = await submit(deps, {
    userId: user.id,
    requestId: input.requestId,
    action: 'topup',
    payload: { cardId: input.cardId, amountFen: input.amountFen },
    credential: input,
    purpose: 'ledger.topup',
    book: async (tx, now, id) => {
      await requireCardStillBound(tx, user.id, card.cardId);
      return baseOperation(id, user.id, now, {
        type: 'topup',
        amountFen: input.amountFen,
        feeFen: 0,
        cardId: card.cardId,
        counterparty: ownCard(card),
      });
    },
  });
  const { op } = submitted;
  return askBank(deps, submitted, () => deps.bank.debitCard(op.id, card.gatewayToken, op.amountFen));
}

/**
 * Top-up and withdrawal move money between 零钱 and the user's own debit card (储蓄卡) only, as
 * WeChat Pay does: a credit card neither funds the wallet nor receives a withdrawal. Checked before
 * the pay password is asked.
 */
function requireDebitCard(card: Pick<OwnedCard, 'cardType'>, use: 'topup' | 'withdraw'): void {
  if (card.cardType === 'debit') return;
  throw new AppError(
    'DEBIT_CARD_REQUIRED',
    use === 'topup' ? '信用卡不能充值零钱，请使用储蓄卡' : '零钱只能提现到储蓄卡，请选择储蓄卡',
  );
}

/**
 * The card read again inside the booking transaction: an unbind that committed since it was first
 * checked (while the pay password was being verified) wins, and nothing is booked.
 */
async function requireCardStillBound(tx: DocumentOps<Collections>, userId: string, cardId: string): Promise<void> {
  const card = await tx.get('cards', cardId);
  if (!card || card.userId !== userId || card.status !== 'bound') {
    throw new AppError('NOT_FOUND', '银行卡不存在或已解绑');
  }
}

/** A top-up source or withdrawal target, as the operation remembers it. */
function ownCard(card: OwnedCard): WalletOperationDoc['counterparty'] {
  return {
    kind: 'card',
    bankCode: card.bankCode,
    name: card.bankName,
    cardType: card.cardType,
    lastFour: card.lastFour,
    maskedHolder: null,
  };
}

/** Amount + fee from the wallet into transit: the first half of a withdrawal or transfer. */
async function holdInTransit(
  tx: DocumentOps<Collections>,
  operationId: string,
  userId: string,
  kind: 'withdraw.hold' | 'transfer.hold',
  totalFen: number,
  now: number,
): Promise<string> {
  const id = holdEntryId(operationId);
  await appendEntry(
    tx,
    {
      id,
      kind,
      operationId,
      userId,
      postings: [
        { accountId: walletAccountId(userId), amountFen: -totalFen },
        { accountId: HOUSE_ACCOUNTS.transit, amountFen: totalFen },
      ],
    },
    now,
  );
  return id;
}

/**
 * amount + fee of a withdrawal, from the balance ("all": at most the single-withdrawal limit) or the
 * asked amount, against the quota left.
 */
function withdrawTerms(balanceFen: number, quotaLeftFen: number, request: WithdrawQuoteRequest) {
  if (request.all) return maxWithdrawable(balanceFen, quotaLeftFen, CONFIG.ledger.maxWithdrawFen);
  const amountFen = request.amountFen!;
  return { amountFen, ...withdrawFee(amountFen, quotaLeftFen) };
}

function requireWithdrawShape(request: WithdrawQuoteRequest): void {
  if ((request.all === true) === (request.amountFen !== undefined)) {
    throw new AppError('INVALID_ARGUMENT', '请输入提现金额，或选择全部提现');
  }
  if (request.amountFen !== undefined) requireAmountWithin(request.amountFen, CONFIG.ledger.maxWithdrawFen, '提现');
}

export async function withdrawQuote(
  deps: DomainDeps,
  caller: Caller,
  request: WithdrawQuoteRequest,
): Promise<WithdrawQuoteView> {
  const user = await requireUser(deps, caller);
  requireWithdrawShape(request);
  const [wallet, quotaLeftFen] = await Promise.all([
    deps.store.get('wallets', walletAccountId(user.id)),
    quotaLeft(deps, user),
  ]);
  const balanceFen = wallet?.balanceFen ?? 0;
  const terms = withdrawTerms(balanceFen, quotaLeftFen, request);
  const totalFen = terms.amountFen + terms.feeFen;
  return {
    amountFen: terms.amountFen,
    feeFen: terms.feeFen,
    totalFen,
    quotaUsedFen: terms.quotaUsedFen,
    quotaLeftFen,
    balanceFen,
    expectedArrivalAt: deps.clock.now() + CONFIG.ledger.withdrawArrivalMs,
    limitFen: CONFIG.ledger.maxWithdrawFen,
    cappedByLimit: request.all === true && terms.amountFen === CONFIG.ledger.maxWithdrawFen && totalFen < balanceFen,
  };
}

export async function withdraw(deps: DomainDeps, caller: Caller, input: WithdrawRequest): Promise<OperationView> {
  const user = await requireUser(deps, caller);
  requireWithdrawShape(input);
  const card = await getOwnedCard(deps, user.id, input.cardId);
  requireDebitCard(card, 'withdraw');
  const key = await withdrawQuota(deps, user);
  const submitted = await submit(deps, {
    userId: user.id,
    requestId: input.requestId,
    action: 'withdraw',
    payload: { cardId: input.cardId, amountFen: input.amountFen, all: input.all === true },
    credential: input,
    purpose: 'ledger.withdraw',
    book: async (tx, now, id) => {
      await requireCardStillBound(tx, user.id, card.cardId);
      const wallet = await tx.get('wallets', walletAccountId(user.id));
      const quota = await tx.get('withdrawQuotas', key);
      const usedFen = quota?.usedFen ?? 0;
      const terms = withdrawTerms(
        wallet?.balanceFen ?? 0,
        Math.max(0, CONFIG.ledger.withdrawFreeQuotaFen - usedFen),
        input,
      );
      if (terms.amountFen <= 0) throw new AppError('INSUFFICIENT_FUNDS', '零钱余额不足以支付提现金额和手续费');
      const holdId = await holdInTransit(tx, id, user.id, 'withdraw.hold', terms.amountFen + terms.feeFen, now);
      if (terms.quotaUsedFen > 0)
        await tx.set('withdrawQuotas', { id: key, usedFen: usedFen + terms.quotaUsedFen, updatedAt: now });
      return baseOperation(id, user.id, now, {
        type: 'withdraw',
        amountFen: terms.amountFen,
        feeFen: terms.feeFen,
        quotaUsedFen: terms.quotaUsedFen,
        quotaKey: key,
        cardId: card.cardId,
        entryIds: [holdId],
        expectedArrivalAt: now + CONFIG.ledger.withdrawArrivalMs,
        counterparty: ownCard(card),
      });
    },
  });
  const { op } = submitted;
  return askBank(deps, submitted, () => deps.bank.creditCard(op.id, card.gatewayToken, op.amountFen));
}

/**
 * Whom a transfer reaches, from a typed card number or a scanned receive code: the card as the
 * bank is told it (the number, once, or the gateway's token of a card bound here), as the payer
 * sees it, and as the idempotency payload names it (never a full number in clear: the payload is
 * only hashed).
 */
interface TransferTarget {
  quote: Pick<TransferQuoteView, 'bank' | 'cardType' | 'lastFour' | 'warning'> & { maskedHolder?: string };
  bankCard: CardTransfer['payee'];
  /** Identifies the payee in the idempotency payload. */
  identity: Record<string, string>;
  /** A receive code's payee (checked again inside the booking transaction). */
  receiveCode: ReceivePayee | null;
  /** A typed card number's fingerprint: its 户名不符 returns are counted (name-guard.ts). */
  payeeCardKey: string | null;
}

/** Paying into a credit card is 信用卡还款, a service of its own with its own rules: not a transfer. */
function refuseCreditCardPayee(cardType: CardType): void {
  if (cardType === 'credit') throw new AppError('CREDIT_CARD_REPAYMENT_UNSUPPORTED');
}

function requireOnePayee(request: TransferPayee): void {
  if ((request.cardNumber === undefined) === (request.receiveToken === undefined)) {
    throw new AppError('INVALID_ARGUMENT', '请输入收款卡号，或扫描收款码');
  }
}

async function transferTarget(deps: DomainDeps, payerId: string, request: TransferPayee): Promise<TransferTarget> {
  requireOnePayee(request);
  if (request.receiveToken !== undefined) {
    const payee = await readReceiveToken(deps, request.receiveToken, payerId);
    const card = payeeCardView(payee.card);
    refuseCreditCardPayee(card.cardType);
    return {
      quote: {
        bank: card.bank,
        cardType: card.cardType,
        lastFour: card.lastFour,
        warning: null,
        maskedHolder: payee.maskedName,
      },
      bankCard: { cardToken: payee.card.gatewayToken },
      identity: { receiveCodeId: payee.codeId },
      receiveCode: payee,
      payeeCardKey: null,
    };
  }
  const card = requireBindableCard(request.cardNumber!, '转账到');
  refuseCreditCardPayee(card.cardType);
  const { digits } = card;
  return {
    quote: {
      bank: { code: card.bank.code, name: card.bank.name, color: card.bank.color },
      cardType: card.cardType,
      lastFour: lastFour(digits),
      warning: card.warning,
    },
    bankCard: { cardNumber: digits },
    identity: { cardNumber: digits },
    receiveCode: null,
    payeeCardKey: payeeCardKey(deps.secrets, digits),
  };
}

function quoteFor(deps: DomainDeps, target: TransferTarget, request: TransferQuoteRequest): TransferQuoteView {
  requireAmountWithin(request.amountFen, CONFIG.ledger.maxTransferFen, '转账');
  const feeFen = transferFeeFen(request.amountFen);
  // a typed payee name is masked here, as the operation will show it: the confirm sheet and the history agree
  const maskedHolder =
    target.quote.maskedHolder ?? (request.payeeName !== undefined ? maskName(request.payeeName) : null);
  return {
    ...target.quote,
    ...(maskedHolder !== null ? { maskedHolder } : {}),
    payeeLabel: counterpartyLabel({ name: target.quote.bank.name, lastFour: target.quote.lastFour, maskedHolder }),
    amountFen: request.amountFen,
    feeFen,
    totalFen: request.amountFen + feeFen,
    expectedArrivalAt: deps.clock.now() + CONFIG.ledger.arrivalMs[request.speed],
  };
}

export async function transferQuote(
  deps: DomainDeps,
  payerId: string,
  request: TransferQuoteRequest,
): Promise<TransferQuoteView> {
  return quoteFor(deps, await transferTarget(deps, payerId, request), request);
}

export async function transferToCard(
  deps: DomainDeps,
  caller: Caller,
  input: TransferToCardRequest,
): Promise<OperationView> {
  const user = await requireUser(deps, caller);
  requireOnePayee(input);
  if ((input.cardNumber !== undefined) !== (input.payeeName !== undefined)) {
    throw new AppError(
      'INVALID_ARGUMENT',
      input.cardNumber !== undefined ? '请输入收款人姓名' : '扫码转账不需要填写收款人姓名',
      { field: 'payeeName' },
    );
  }
  const target = await transferTarget(deps, user.id, input);
  const quote = quoteFor(deps, target, input);
  const payee = target.receiveCode;
  const holderName = payee ? payee.holderName : input.payeeName!;
  const { payeeCardKey: cardKey } = target;
  const submitted = await submit(deps, {
    userId: user.id,
    requestId: input.requestId,
    action: 'transferToCard',
    payload: { ...target.identity, payeeName: input.payeeName, amountFen: input.amountFen, speed: input.speed },
    credential: input,
    purpose: 'ledger.transfer',
    precheck: async () => {
      if (cardKey) await requireNameChecksLeft(deps.store, user.id, cardKey, deps.clock.now());
    },
    book: async (tx, now, id) => {
      if (payee) await requireLiveReceiveCode(tx, payee);
      // again in the commit: returns booked meanwhile count too
      if (cardKey) await requireNameChecksLeft(tx, user.id, cardKey, now);
      const day = chinaDayKey(now);
      const dayId = dailyTransferId(user.id, day);
      const today = await tx.get('dailyTransfers', dayId);
      const usedFen = today?.totalFen ?? 0;
      if (usedFen + quote.amountFen > CONFIG.ledger.dailyTransferLimitFen) {
        const remainingFen = Math.max(0, CONFIG.ledger.dailyTransferLimitFen - usedFen);
        throw new AppError('DAILY_LIMIT_EXCEEDED', `今日还可转账 ¥${(remainingFen / 100).toFixed(2)}`, {
          remainingFen,
        });
      }
      const totalFen = quote.amountFen + quote.feeFen;
      const holdId = await holdInTransit(tx, id, user.id, 'transfer.hold', totalFen, now);
      await tx.set('dailyTransfers', {
        id: dayId,
        userId: user.id,
        day,
        totalFen: usedFen + quote.amountFen,
        updatedAt: now,
      });
      return baseOperation(id, user.id, now, {
        type: 'transfer',
        amountFen: quote.amountFen,
        feeFen: quote.feeFen,
        speed: input.speed,
        limitDay: day,
        entryIds: [holdId],
        ...(cardKey ? { payeeCardKey: cardKey } : {}),
        expectedArrivalAt: now + CONFIG.ledger.arrivalMs[input.speed],
        counterparty: {
          kind: 'card',
          bankCode: quote.bank.code,
          name: quote.bank.name,
          cardType: quote.cardType,
          lastFour: quote.lastFour,
          maskedHolder: maskName(holderName),
        },
      });
    },
  });
  const { op } = submitted;
  return askBank(deps, submitted, () =>
    deps.bank.transferToCard(op.id, {
      payee: target.bankCard,
      holderName,
      amountFen: op.amountFen,
      speed: input.speed,
    }),
  );
}
