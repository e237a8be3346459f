/**
 * The `settle` pass (a timer trigger in CloudBase): asks the bank about every PROCESSING operation
 * that is due, books the final answers, then runs the reconciliation check and reports.
 */
import type { SettleReport } from '../../../typings/ledger';
import type { DomainDeps } from '../deps';
import { BankUnavailableError } from '../ports/bank';
import { reconcile } from './reconcile';
import { RECHECK_AFTER_MS } from './operations';
import { resolveOperation } from './resolution';

/** Operations looked at per run; the timer runs often, so a backlog drains over a few runs. */
const BATCH = 200;

export async function settle(deps: DomainDeps): Promise<SettleReport> {
  const now = deps.clock.now();
  const due = await deps.store.find('walletOperations', {
    where: [
      { field: 'status', op: '==', value: 'PROCESSING' },
      { field: 'nextCheckAt', op: '<=', value: now },
    ],
    orderBy: [['nextCheckAt', 'asc']],
    limit: BATCH,
  });
  const resolved = { succeeded: 0, returned: 0, failed: 0 };
  for (const op of due) {
    try {
      const state = await deps.bank.paymentStatus(op.id);
      if (state.state === 'PENDING') {
        await deps.store.update('walletOperations', op.id, { nextCheckAt: now + RECHECK_AFTER_MS });
        continue;
      }
      const after = await resolveOperation(deps, op.id, state, false);
      if (after?.status === 'SUCCEEDED') resolved.succeeded += 1;
      else if (after?.status === 'RETURNED') resolved.returned += 1;
      else if (after?.status === 'FAILED') resolved.failed += 1;
    } catch (error) {
      // No answer (or a fault) for this one: try it again on a later run, go on with the others.
      if (!(error instanceof BankUnavailableError)) {
        deps.log.error('settle.operation_failed', {
          operationId: op.id,
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
      await deps.store.update('walletOperations', op.id, { nextCheckAt: now + RECHECK_AFTER_MS });
    }
  }
  const stillPending = await deps.store.count('walletOperations', [{ field: 'status', op: '==', value: 'PROCESSING' }]);
  const reconciliation = await reconcile(deps);
  if (!reconciliation.ok) {
    deps.log.error('settle.reconciliation_break', {
      breaks: reconciliation.breaks.length,
      first: reconciliation.breaks[0]?.check,
    });
  }
  return { resolved, stillPending, reconciliation };
}
