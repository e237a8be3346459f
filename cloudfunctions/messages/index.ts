// Deployable entry of the `messages` function: the definition lives in server/functions/messages.ts.
import { messagesFunction } from '../../server/functions/messages';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createMain(messagesFunction, depsFromEnvironment);
