import type { Collections } from './collections';
import type { BankGateway } from './ports/bank';
import type { Secrets } from './ports/secrets';
import type { SmsGateway, SmsOutboxReader } from './ports/sms';
import type { MiniProgramCodes } from './ports/miniprogram-code';
import type { BranchLocator } from './ports/branch-locator';
import type { Notifier } from './ports/notifier';
import type { Store } from './ports/store';
import type { Clock, Ids, Logger } from './ports/system';

/** What domain operations are given: ports only, never concrete adapters. */
export interface DomainDeps {
  store: Store<Collections>;
  clock: Clock;
  ids: Ids;
  log: Logger;
  bank: BankGateway;
  sms: SmsGateway;
  /** The sandbox SMS outbox, or null when a real SMS provider is configured. */
  smsOutbox: SmsOutboxReader | null;
  secrets: Secrets;
  notifier: Notifier;
  branchLocator: BranchLocator;
  miniProgramCodes: MiniProgramCodes;
}
