// Deployable entry of the `verify` function: the definition lives in server/functions/verify.ts.
import { verifyFunction } from '../../server/functions/verify';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createMain(verifyFunction, depsFromEnvironment);
