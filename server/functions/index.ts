/** Every cloud function, by name. `cloudfunctions/<name>/index.ts` deploys each; the local host serves all. */
import type { FunctionName } from '../../typings/api';
import type { FunctionDef } from '../runtime/define';
import { cardsFunction } from './cards';
import { ledgerFunction } from './ledger';
import { messagesFunction } from './messages';
import { qrcodeFunction } from './qrcode';
import { settleFunction } from './settle';
import { staffFunction } from './staff';
import { assistantFunction } from './assistant';
import { branchesFunction } from './branches';
import { userFunction } from './user';
import { verifyFunction } from './verify';

export const FUNCTIONS: { [F in FunctionName]: FunctionDef<F> } = {
  user: userFunction,
  verify: verifyFunction,
  cards: cardsFunction,
  assistant: assistantFunction,
  ledger: ledgerFunction,
  settle: settleFunction,
  branches: branchesFunction,
  qrcode: qrcodeFunction,
  messages: messagesFunction,
  staff: staffFunction,
};
