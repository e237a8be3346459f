/**
 * The `settle` pass (a timer trigger in CloudBase): asks the bank about every PROCESSING operation
 * that is due, books the final answers, retries the notification outbox's due deliveries, then
 * reconciles what is new since its checkpoint (checkpoint.ts) — on the day's first run after the
 * full audit (audit.ts) — and reports.
 */
import type { SettleReport } from '../../../typings/ledger';
import type { WalletOperationDoc } from '../collections';
import type { DomainDeps } from '../deps';
import { retryDeliveries } from '../notify/delivery';
import { forEachDue } from '../paging';
import { BankUnavailableError } from '../ports/bank';
import { auditIfDue } from './audit';
import { reconcileIncrementally } from './checkpoint';
import { RECHECK_AFTER_MS, SUBMISSION_GRACE_MS } from './operations';
import { resolveOperation } from './resolution';

/** Operations read per page; a run goes through every due page (bounded, so one run ends). */
const PAGE = 200;
const MAX_PAGES = 25;

async function settleOne(
  deps: DomainDeps,
  op: WalletOperationDoc,
  now: number,
  resolved: SettleReport['resolved'],
): Promise<void> {
  const operationId = op.id;
  try {
    const state = await deps.bank.paymentStatus(operationId);
    if (state.state === 'PENDING') {
      await deps.store.update('walletOperations', operationId, { nextCheckAt: now + RECHECK_AFTER_MS });
      return;
    }
    // The bank not knowing it proves nothing while the submission (or a timed-out call) may still
    // reach it: giving the money back now could pay it twice. Asked again once the grace is over.
    const graceEndsAt = op.createdAt + SUBMISSION_GRACE_MS;
    if (state.state === 'UNKNOWN' && now < graceEndsAt) {
      await deps.store.update('walletOperations', operationId, { nextCheckAt: graceEndsAt });
      return;
    }
    const after = await resolveOperation(deps, operationId, state, false);
    if (after?.status === 'SUCCEEDED') resolved.succeeded += 1;
    else if (after?.status === 'RETURNED') resolved.returned += 1;
    else if (after?.status === 'FAILED') resolved.failed += 1;
  } catch (error) {
    // No answer (or a fault) for this one: try it again on a later run, go on with the others.
    if (!(error instanceof BankUnavailableError)) {
      deps.log.error('settle.operation_failed', {
        operationId,
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
    await deps.store.update('walletOperations', operationId, { nextCheckAt: now + RECHECK_AFTER_MS });
  }
}

export async function settle(deps: DomainDeps): Promise<SettleReport> {
  const now = deps.clock.now();
  const resolved = { succeeded: 0, returned: 0, failed: 0 };
  await forEachDue(
    deps.store,
    'walletOperations',
    { status: { field: 'status', op: '==', value: 'PROCESSING' }, dueField: 'nextCheckAt', now },
    { pageSize: PAGE, maxPages: MAX_PAGES },
    (op) => settleOne(deps, op, now, resolved),
  );
  const stillPending = await deps.store.count('walletOperations', [{ field: 'status', op: '==', value: 'PROCESSING' }]);
  const outbox = await retryDeliveries(deps);
  // The day's first run audits everything (and checks the running totals); every run checks what is new.
  const audit = await auditIfDue(deps);
  const reconciliation = await reconcileIncrementally(deps);
  if (!reconciliation.ok) {
    deps.log.error('settle.reconciliation_break', {
      breaks: reconciliation.breaks.length,
      first: reconciliation.breaks[0]?.check,
    });
  }
  return { resolved, stillPending, reconciliation, audit, outbox };
}
