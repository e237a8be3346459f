// Deployable entry of the `user` function: the definition lives in server/functions/user.ts.
import { userFunction } from '../../server/functions/user';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createMain(userFunction, depsFromEnvironment);
