/**
 * DomainDeps for tests that drive the domain on a store of their own (no host): the caller's
 * store, clock, ids and logger, plus the sandbox bank, SMS and notification outbox over that store,
 * the branch locator beside it, and a fixed test secret — the same adapters the local host wires.
 */
import { createSandbox } from '../../server/adapters/sandbox';
import { SandboxNotifier } from '../../server/adapters/sandbox/notifier';
import { SandboxMiniProgramCodes } from '../../server/adapters/sandbox/miniprogram-code';
import { openBranchLocator } from '../../server/runtime/environment';
import { DerivedSecrets } from '../../server/adapters/secrets';
import type { DomainDeps } from '../../server/domain/deps';

export const TEST_SECRET = 'test-secret-for-fingerprints-and-codes-0123456789';

export function testDeps(base: Pick<DomainDeps, 'store' | 'clock' | 'ids' | 'log'>): DomainDeps {
  const secrets = new DerivedSecrets(TEST_SECRET);
  const sandbox = createSandbox({ ...base, secrets });
  return {
    ...base,
    secrets,
    bank: sandbox.bank,
    sms: sandbox.sms,
    smsOutbox: sandbox.sms,
    notifier: new SandboxNotifier(base),
    branchLocator: openBranchLocator(base.store),
    miniProgramCodes: new SandboxMiniProgramCodes(),
  };
}
