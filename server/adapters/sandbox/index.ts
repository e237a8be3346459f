/** The sandbox bank and SMS gateway together, as the local host and the default environment wire them. */
import type { Collections } from '../../domain/collections';
import type { Secrets } from '../../domain/ports/secrets';
import type { Store } from '../../domain/ports/store';
import type { Clock, Ids } from '../../domain/ports/system';
import { SandboxBank } from './bank';
import { SandboxSms } from './sms';

export interface Sandbox {
  bank: SandboxBank;
  sms: SandboxSms;
}

export function createSandbox(options: {
  store: Store<Collections>;
  secrets: Secrets;
  clock: Clock;
  ids: Ids;
}): Sandbox {
  return { bank: new SandboxBank(options), sms: new SandboxSms(options) };
}
