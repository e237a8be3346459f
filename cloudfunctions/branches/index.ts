// Deployable entry of the `branches` function: the definition lives in server/functions/branches.ts.
import { branchesFunction } from '../../server/functions/branches';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createMain(branchesFunction, depsFromEnvironment);
