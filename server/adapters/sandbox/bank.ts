/**
 * The sandbox bank behind BankGateway: answers from the test-card table (test-cards.ts) and keeps
 * one account per card in the Store (`sandboxBankAccounts`), so every local-host process on one
 * SQLite file sees the same bank. Accounts hold a balance (opened from the table) and the HMACs of
 * the holder they were opened for — never a card number, ID number or phone.
 */
import type { Collections, SandboxBankAccountDoc } from '../../domain/collections';
import { fingerprint, sameDigest } from '../../domain/crypto';
import { BankUnavailableError, type BankGateway, type CardCheck, type CardCheckResult } from '../../domain/ports/bank';
import type { Secrets } from '../../domain/ports/secrets';
import type { Store } from '../../domain/ports/store';
import type { Clock } from '../../domain/ports/system';
import { SANDBOX_RESERVED_PHONE, testCardFor } from './test-cards';

export interface SandboxBankOptions {
  store: Store<Collections>;
  secrets: Secrets;
  clock: Clock;
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
    if (check.reservedPhone !== SANDBOX_RESERVED_PHONE) return { ok: false, refusal: 'PHONE_MISMATCH' };
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
      openedAt: now,
      updatedAt: now,
    };
    const sameHolder = await this.options.store.transaction(async (tx) => {
      const account = await tx.get('sandboxBankAccounts', token);
      if (!account) {
        await tx.create('sandboxBankAccounts', opened);
        return true;
      }
      return sameDigest(account.holderNameKey, holderNameKey) && sameDigest(account.holderIdKey, holderIdKey);
    });
    return sameHolder ? { ok: true, cardToken: token } : { ok: false, refusal: 'HOLDER_MISMATCH' };
  }

  /** The account behind a token, for tests and the ledger's sandbox extensions. */
  account(cardToken: string): Promise<SandboxBankAccountDoc | null> {
    return this.options.store.get('sandboxBankAccounts', cardToken);
  }
}
