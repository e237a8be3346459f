// Deployable entry of the `assistant` function: the definition lives in server/functions/assistant.ts.
import { assistantFunction } from '../../server/functions/assistant';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createMain(assistantFunction, depsFromEnvironment);
