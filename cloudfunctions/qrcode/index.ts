// Deployable entry of the `qrcode` function: the definition lives in server/functions/qrcode.ts.
import { qrcodeFunction } from '../../server/functions/qrcode';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createMain(qrcodeFunction, depsFromEnvironment);
