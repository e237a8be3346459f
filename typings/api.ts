/**
 * The map of cloud functions → actions → request/response types. The mini program's typed clients
 * and the functions' action tables are both checked against it, so the two sides cannot drift.
 */
import type { CardsActions } from './cards';
import type { LedgerActions, SettleActions } from './ledger';
import type { AssistantActions } from './assistant';
import type { BranchesActions } from './branches';
import type { MessagesActions } from './messages';
import type { QrcodeActions } from './qrcode';
import type { StaffActions } from './staff';
import type { UserActions } from './user';
import type { VerifyActions } from './verify';

export interface FunctionActions {
  user: UserActions;
  verify: VerifyActions;
  cards: CardsActions;
  assistant: AssistantActions;
  ledger: LedgerActions;
  settle: SettleActions;
  branches: BranchesActions;
  qrcode: QrcodeActions;
  messages: MessagesActions;
  staff: StaffActions;
}

export type FunctionName = keyof FunctionActions;
export type ActionName<F extends FunctionName> = keyof FunctionActions[F] & string;

type ActionSpec<F extends FunctionName, A extends ActionName<F>> = FunctionActions[F][A] extends {
  request: infer Req;
  response: infer Res;
}
  ? { request: Req; response: Res }
  : never;

export type RequestOf<F extends FunctionName, A extends ActionName<F>> = ActionSpec<F, A>['request'];
export type ResponseOf<F extends FunctionName, A extends ActionName<F>> = ActionSpec<F, A>['response'];

/** What `wx.cloud.callFunction({ name, data })` sends: the action plus its fields, flat. */
export type CallData<F extends FunctionName, A extends ActionName<F>> = { action: A } & RequestOf<F, A>;
