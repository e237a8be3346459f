// Deployable entry of the `branches` function: the definition lives in server/functions/branches.ts.
// The mini program calls every action; branch queuing machines reach `queueFeed` alone through the
// function's HTTP path (config.json `httpPath`), authenticated by each branch's own secret.
import { BRANCHES_HTTP_ACCESS, branchesFunction } from '../../server/functions/branches';
import { createCallOrHttpMain } from '../../server/runtime/http-access';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createCallOrHttpMain(branchesFunction, depsFromEnvironment, BRANCHES_HTTP_ACCESS);
