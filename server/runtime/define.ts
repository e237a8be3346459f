/**
 * How a cloud function is declared: a table of actions, each with its auth mode, its one input
 * schema and its handler. The table is type-checked against typings/api.ts, the contract the mini
 * program's clients are typed with.
 */
import type * as z from 'zod';
import type { ActionName, FunctionName, RequestOf, ResponseOf } from '../../typings/api';
import type { Caller } from '../domain/users/session';
import type { AppDeps } from './deps';

export interface BaseContext {
  deps: AppDeps;
  /** The platform's id for this invocation, for log correlation. */
  invocationId: string;
}

export interface UserContext extends BaseContext {
  caller: Caller;
}

interface ActionCommon<Req> {
  input: z.ZodType<Req, unknown>;
  /** An action some deployments lack (the sandbox's tools): where false it answers exactly like an unknown action. */
  existsWhen?: (deps: AppDeps) => boolean;
}

/** Needs a caller identity from the runtime context (WX_OPENID). */
export interface UserAction<Req, Res> extends ActionCommon<Req> {
  auth: 'user';
  handle(input: Req, ctx: UserContext): Promise<Res>;
}

/** Authenticated by something else than openid (timer trigger, a branch machine's secret) or open to all. */
export interface PublicAction<Req, Res> extends ActionCommon<Req> {
  auth: 'public';
  handle(input: Req, ctx: BaseContext & { caller: Caller | null }): Promise<Res>;
}

export type ActionDef<Req, Res> = UserAction<Req, Res> | PublicAction<Req, Res>;

export type ActionTable<F extends FunctionName> = {
  [A in ActionName<F>]: ActionDef<RequestOf<F, A>, ResponseOf<F, A>>;
};

export interface FunctionDef<F extends FunctionName = FunctionName> {
  name: F;
  actions: ActionTable<F>;
}

export function defineFunction<F extends FunctionName>(name: F, actions: ActionTable<F>): FunctionDef<F> {
  return { name, actions };
}
