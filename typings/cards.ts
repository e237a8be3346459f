/** Function `cards`: BIN detection, binding, the card list, unbinding. Only last four digits ever come back. */
import type { SensitiveCredentialFields, SmsChallengeView } from './verify';

/** Issuers the BIN table knows (server/domain/cards/bins.ts). */
export type BankCode =
  | 'ICBC'
  | 'CCB'
  | 'ABC'
  | 'BOC'
  | 'COMM'
  | 'CMB'
  | 'SPDB'
  | 'CGB'
  | 'PSBC'
  | 'CITIC'
  | 'CIB'
  | 'CMBC'
  | 'CEB'
  | 'SPABANK'
  | 'HXBANK'
  | 'BJBANK'
  | 'SHBANK'
  | 'BHB'
  | 'QHDCCB';

export type CardType = 'debit' | 'credit';

export interface BankView {
  code: BankCode;
  /** Official name (中国工商银行, 上海浦东发展银行). */
  name: string;
  /** The short form WeChat's card list shows (工商银行, 浦发银行). */
  shortName: string;
  /** Brand colour, `#rrggbb`. */
  color: string;
  /** Whether its cards can be bound here. */
  supported: boolean;
}

/** What the digits typed so far say about the card. */
export interface CardDetectionView {
  recognized: boolean;
  bank: BankView | null;
  cardType: CardType | null;
  /** 储蓄卡 / 信用卡, or '' when unknown. */
  cardTypeLabel: string;
  /** The number has a length the bank issues. */
  complete: boolean;
  /** Luhn check once complete (null before): a warning only, some genuine cards fail it. */
  luhnValid: boolean | null;
  /** Chinese text to show under the field, or null. */
  warning: string | null;
}

export interface CardView {
  cardId: string;
  bank: BankView;
  cardType: CardType;
  cardTypeLabel: string;
  lastFour: string;
  boundAt: number;
}

/** `detail`: the card, and what its bank lets quick payments (top-ups) take from it a day. */
export interface CardDetailView extends CardView {
  /** The bank's daily quick-payment limit (快捷支付单日限额), as it said at binding; null for cards bound before. */
  quickPayDailyLimitFen: number | null;
}

export interface BindStartRequest extends SensitiveCredentialFields {
  cardNumber: string;
  /** Must equal the caller's stated real name, pending or verified (shown pre-filled and locked). */
  holderName: string;
  /** Must be the caller's own ID number (typed again: only its last four and fingerprint are kept). */
  idNumber: string;
  /** The mobile number reserved at the bank for this card. */
  reservedPhone: string;
}

export interface BindStartView {
  bindingId: string;
  card: Omit<CardView, 'cardId' | 'boundAt'>;
  sms: SmsChallengeView;
  /** The bank accepted the card, but its number fails the Luhn check: shown as a note. */
  warning: string | null;
  /** The binding must be confirmed before this (epoch ms). */
  expiresAt: number;
}

/**
 * `sandboxSmsCode`: the code the sandbox SMS gateway "sent" for a binding, for testers. The action
 * exists only while the sandbox is the SMS gateway (with a real one it answers like an unknown action).
 */
export interface SandboxSmsCodeView {
  /** The phone it went to, masked (`1380013****`). */
  phoneMasked: string;
  /** The message with the binding's current code; null when the outbox holds none (yet). */
  message: { code: string; text: string; sentAt: number } | null;
}

export interface CardsActions {
  detect: { request: { cardNumber: string }; response: CardDetectionView };
  list: { request: Record<string, never>; response: { cards: CardView[]; limit: number } };
  detail: { request: { cardId: string }; response: CardDetailView };
  bindStart: { request: BindStartRequest; response: BindStartView };
  bindConfirm: { request: { bindingId: string; smsCode: string }; response: CardView };
  sandboxSmsCode: { request: { bindingId: string }; response: SandboxSmsCodeView };
  unbind: { request: { cardId: string } & SensitiveCredentialFields; response: { cardId: string; unbound: true } };
}
