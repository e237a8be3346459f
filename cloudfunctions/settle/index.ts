// Deployable entry of the `settle` function: the definition lives in server/functions/settle.ts.
// Its timer trigger (config.json) calls main with { Type: 'Timer', TriggerName, Time } and no
// action: that event runs the `run` action.
import { settleFunction } from '../../server/functions/settle';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

const run = createMain(settleFunction, depsFromEnvironment);

function isTimerEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { Type?: unknown }).Type === 'Timer';
}

export const main = (event: unknown, context: unknown) => run(isTimerEvent(event) ? { action: 'run' } : event, context);
