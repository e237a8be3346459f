// Deployable entry of the `staff` function, reached through the HTTP access service (config.json
// `httpPath`), never by the mini program: the definition lives in server/functions/staff.ts.
import { createStaffMain, staffTokenFromEnvironment } from '../../server/functions/staff';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createStaffMain(depsFromEnvironment, () => staffTokenFromEnvironment());
