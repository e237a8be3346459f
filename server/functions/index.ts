/** Every cloud function, by name. `cloudfunctions/<name>/index.ts` deploys each; the local host serves all. */
import type { FunctionName } from '../../typings/api';
import type { FunctionDef } from '../runtime/define';
import { branchesFunction } from './branches';
import { userFunction } from './user';

export const FUNCTIONS: { [F in FunctionName]: FunctionDef<F> } = {
  user: userFunction,
  branches: branchesFunction,
};
