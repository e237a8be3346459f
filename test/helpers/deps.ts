/**
 * DomainDeps for tests that drive the domain on a store of their own (no host): the caller's
 * store, clock, ids and logger, plus the sandbox bank and SMS over that store and a fixed test
 * secret — the same adapters the local host wires.
 */
import { createSandbox } from '../../server/adapters/sandbox';
import { DerivedSecrets } from '../../server/adapters/secrets';
import type { DomainDeps } from '../../server/domain/deps';

export const TEST_SECRET = 'test-secret-for-fingerprints-and-codes-0123456789';

export function testDeps(base: Pick<DomainDeps, 'store' | 'clock' | 'ids' | 'log'>): DomainDeps {
  const secrets = new DerivedSecrets(TEST_SECRET);
  const sandbox = createSandbox({ ...base, secrets });
  return { ...base, secrets, bank: sandbox.bank, sms: sandbox.sms };
}
