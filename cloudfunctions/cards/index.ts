// Deployable entry of the `cards` function: the definition lives in server/functions/cards.ts.
import { cardsFunction } from '../../server/functions/cards';
import { createMain } from '../../server/runtime/main';
import { depsFromEnvironment } from '../../server/runtime/environment';

export const main = createMain(cardsFunction, depsFromEnvironment);
