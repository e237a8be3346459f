// Deployable entry of the `ledger` function: the definition lives in server/functions/ledger.ts.
import { ledgerFunction } from '../../server/functions/ledger';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createMain(ledgerFunction, depsFromEnvironment);
