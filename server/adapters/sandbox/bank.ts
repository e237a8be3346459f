/**
 * The sandbox bank behind BankGateway: answers from the test-card table (test-cards.ts) and keeps
 * one account per card in the Store (`sandboxBankAccounts`), so every local-host process on one
 * SQLite file sees the same bank. Accounts hold a balance (opened from the table), the card's daily
 * quick-payment limit with what was debited today, and the HMACs of the holder they were opened
 * for — never a card number, ID number or phone.
 */
import { CONFIG } from '../../config';
import type { Collections, SandboxBankAccountDoc, SandboxBankPaymentDoc } from '../../domain/collections';
import type { CardType } from '../../../typings/cards';
import { detectCard } from '../../domain/cards/detect';
import { fingerprint, sameDigest } from '../../domain/crypto';
import {
  BankUnavailableError,
  type BankGateway,
  type CardCheck,
  type CardCheckResult,
  type CardTransfer,
  type PaymentFailure,
  type PaymentState,
} from '../../domain/ports/bank';
import type { Secrets } from '../../domain/ports/secrets';
import type { Store } from '../../domain/ports/store';
import type { Clock } from '../../domain/ports/system';
import { chinaDayKey } from '../../domain/time';
import { QUICK_PAY_DAILY_LIMIT_FEN, SANDBOX_RESERVED_PHONE, testCardFor, type PaymentBehaviour } from './test-cards';

export interface SandboxBankOptions {
  store: Store<Collections>;
  secrets: Secrets;
  clock: Clock;
}

/** How a new payment turns out: final at once, or PENDING until `settlesAt` (a failure set then fails it). */
type Outcome = Pick<SandboxBankPaymentDoc, 'state' | 'failure'>;

function cardTypeOf(cardNumber: string): CardType {
  return detectCard(cardNumber).cardType ?? 'debit';
}

/** The account's daily quick-payment limit (accounts opened before limits existed: a debit card's). */
function dailyLimitOf(account: SandboxBankAccountDoc): number {
  return account.quickPayDailyLimitFen ?? QUICK_PAY_DAILY_LIMIT_FEN.debit;
}

/** What was debited from the account on the China day of `now`. */
function debitedToday(account: SandboxBankAccountDoc, now: number): number {
  return account.debitDay === chinaDayKey(now) ? (account.debitedOnDayFen ?? 0) : 0;
}

export class SandboxBank implements BankGateway {
  constructor(private readonly options: SandboxBankOptions) {}

  private key(value: string): string {
    return fingerprint(this.options.secrets, 'sandbox-bank', value);
  }

  /** The gateway token of a card: stable per card number, meaningless without the server secret. */
  cardToken(cardNumber: string): string {
    return `sbk_${this.key(`card:${cardNumber}`).slice(0, 32)}`;
  }

  async verifyCard(check: CardCheck): Promise<CardCheckResult> {
    const card = testCardFor(check.cardNumber);
    switch (card.bind) {
      case 'no_answer':
        throw new BankUnavailableError('sandbox bank: test card that never answers');
      case 'frozen':
        return { ok: false, refusal: 'CARD_FROZEN' };
      case 'closed':
        return { ok: false, refusal: 'CARD_CLOSED' };
      case 'declined':
        return { ok: false, refusal: 'DECLINED' };
      case 'unsupported':
        return { ok: false, refusal: 'CARD_UNSUPPORTED' };
      case 'holder_mismatch':
        return { ok: false, refusal: 'HOLDER_MISMATCH' };
      case 'success':
        break;
    }
    if (check.reservedPhone !== (card.reservedPhone ?? SANDBOX_RESERVED_PHONE))
      return { ok: false, refusal: 'PHONE_MISMATCH' };
    const token = this.cardToken(check.cardNumber);
    const holderNameKey = this.key(`name:${check.holderName}`);
    const holderIdKey = this.key(`id:${check.idNumber}`);
    const now = this.options.clock.now();
    const opened: SandboxBankAccountDoc = {
      id: token,
      testCard: `${check.cardNumber.slice(-4)} ${card.bind}`,
      holderNameKey,
      holderIdKey,
      balanceFen: card.openingBalanceFen,
      payment: card.payment ?? 'normal',
      quickPayDailyLimitFen: card.quickPayDailyLimitFen ?? QUICK_PAY_DAILY_LIMIT_FEN[cardTypeOf(check.cardNumber)],
      openedAt: now,
      updatedAt: now,
    };
    const account = await this.options.store.transaction(async (tx) => {
      const existing = await tx.get('sandboxBankAccounts', token);
      if (existing) return existing;
      await tx.create('sandboxBankAccounts', opened);
      return opened;
    });
    const sameHolder = sameDigest(account.holderNameKey, holderNameKey) && sameDigest(account.holderIdKey, holderIdKey);
    if (!sameHolder) return { ok: false, refusal: 'HOLDER_MISMATCH' };
    return { ok: true, cardToken: token, quickPayDailyLimitFen: dailyLimitOf(account) };
  }

  /** The account behind a token, for tests and the ledger's sandbox extensions. */
  account(cardToken: string): Promise<SandboxBankAccountDoc | null> {
    return this.options.store.get('sandboxBankAccounts', cardToken);
  }

  // Payments. Each is recorded under our reference first: a repeated reference answers what the
  // first call answered. Pending payments become final lazily, when their status is asked for.

  private answer(doc: SandboxBankPaymentDoc): PaymentState {
    if (doc.silentUntil > this.options.clock.now()) throw new BankUnavailableError('sandbox bank: no answer yet');
    if (doc.state === 'SUCCEEDED') return { state: 'SUCCEEDED' };
    if (doc.state === 'FAILED') return { state: 'FAILED', failure: doc.failure as PaymentFailure };
    return { state: 'PENDING' };
  }

  /**
   * Records a new payment (or finds the earlier one with this reference) and answers for it. The
   * payment behaves as `behaviour` says when given, else as the card's account does; `decide` picks
   * its outcome from that.
   */
  private async receive(
    reference: string,
    payment: {
      kind: SandboxBankPaymentDoc['kind'];
      accountId: string;
      amountFen: number;
      behaviour?: PaymentBehaviour;
    },
    decide: (account: SandboxBankAccountDoc | null, behaviour: PaymentBehaviour) => Outcome,
  ): Promise<PaymentState> {
    const now = this.options.clock.now();
    const doc = await this.options.store.transaction(async (tx) => {
      const earlier = await tx.get('sandboxBankPayments', reference);
      if (earlier) return earlier;
      const account = payment.accountId ? await tx.get('sandboxBankAccounts', payment.accountId) : null;
      const behaviour = payment.behaviour ?? account?.payment ?? 'normal';
      const received: SandboxBankPaymentDoc = {
        id: reference,
        kind: payment.kind,
        accountId: account?.id ?? null,
        amountFen: payment.amountFen,
        ...decide(account, behaviour),
        settlesAt: now + CONFIG.sandbox.settleAfterMs,
        silentUntil: behaviour === 'no_answer' ? now + CONFIG.sandbox.silentForMs : 0,
        receivedAt: now,
        updatedAt: now,
      };
      // a debit that succeeds leaves the card account at once, and counts against today's limit
      if (received.kind === 'debit' && received.state !== 'FAILED' && account) {
        await tx.update('sandboxBankAccounts', account.id, {
          balanceFen: account.balanceFen - received.amountFen,
          debitDay: chinaDayKey(now),
          debitedOnDayFen: debitedToday(account, now) + received.amountFen,
          updatedAt: now,
        });
      }
      await tx.create('sandboxBankPayments', received);
      return received;
    });
    return this.answer(doc);
  }

  debitCard(reference: string, cardToken: string, amountFen: number): Promise<PaymentState> {
    const now = this.options.clock.now();
    return this.receive(reference, { kind: 'debit', accountId: cardToken, amountFen }, (account, behaviour) => {
      if (!account || behaviour === 'decline' || behaviour === 'fail_later')
        return { state: 'FAILED', failure: 'DECLINED' };
      if (debitedToday(account, now) + amountFen > dailyLimitOf(account))
        return { state: 'FAILED', failure: 'CARD_DAILY_LIMIT_EXCEEDED' };
      if (account.balanceFen < amountFen) return { state: 'FAILED', failure: 'INSUFFICIENT_CARD_FUNDS' };
      return { state: 'SUCCEEDED', failure: null };
    });
  }

  creditCard(reference: string, cardToken: string, amountFen: number): Promise<PaymentState> {
    return this.receive(reference, { kind: 'credit', accountId: cardToken, amountFen }, (account, behaviour) => {
      if (!account || behaviour === 'decline') return { state: 'FAILED', failure: 'DECLINED' };
      return { state: 'PENDING', failure: behaviour === 'fail_later' ? 'CARD_CLOSED' : null };
    });
  }

  transferToCard(reference: string, transfer: CardTransfer): Promise<PaymentState> {
    // A typed number behaves as the test-card table says; a bound card (by token) as its account does.
    const byNumber = 'cardNumber' in transfer.payee ? testCardFor(transfer.payee.cardNumber).payment : undefined;
    const token = 'cardToken' in transfer.payee ? transfer.payee.cardToken : this.cardToken(transfer.payee.cardNumber);
    const nameKey = this.key(`name:${transfer.holderName}`);
    const payment = { kind: 'transfer' as const, accountId: token, amountFen: transfer.amountFen, behaviour: byNumber };
    return this.receive(reference, payment, (account, behaviour) => {
      if (behaviour === 'decline') return { state: 'FAILED', failure: 'DECLINED' };
      // The receiving bank knows the holder of an account it opened: another name comes back.
      const nameMismatch = account !== null && !sameDigest(account.holderNameKey, nameKey);
      return { state: 'PENDING', failure: behaviour === 'fail_later' || nameMismatch ? 'HOLDER_MISMATCH' : null };
    });
  }

  async paymentStatus(reference: string): Promise<PaymentState> {
    const now = this.options.clock.now();
    const doc = await this.options.store.transaction(async (tx) => {
      const payment = await tx.get('sandboxBankPayments', reference);
      if (!payment || payment.state !== 'PENDING' || payment.settlesAt > now || payment.silentUntil > now)
        return payment;
      const state = payment.failure ? 'FAILED' : 'SUCCEEDED';
      // money reaches the card's account once, when the payment becomes final
      if (state === 'SUCCEEDED' && payment.accountId) {
        const account = payment.accountId ? await tx.get('sandboxBankAccounts', payment.accountId) : null;
        if (account) {
          await tx.update('sandboxBankAccounts', account.id, {
            balanceFen: account.balanceFen + payment.amountFen,
            updatedAt: now,
          });
        }
      }
      const final: SandboxBankPaymentDoc = { ...payment, state, updatedAt: now };
      await tx.set('sandboxBankPayments', final);
      return final;
    });
    return doc ? this.answer(doc) : { state: 'UNKNOWN' };
  }
}
