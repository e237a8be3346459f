/**
 * Turns a function definition into the `main(event, context)` CloudBase calls: route by `action`,
 * check identity, validate the input with the action's schema, run it, and always answer with the
 * `{ ok, data | error }` envelope — an escaping throw or a stack trace never reaches the caller.
 */
import type { Result } from '../../typings/result';
import { AppError, isAppError } from '../domain/errors';
import { DependencyUnavailableError, MisconfiguredError } from '../domain/ports/failures';
import type { LogFields } from '../domain/ports/system';
import type { AppDeps } from './deps';
import type { ActionDef, FunctionDef } from './define';
import { callerFromContext, invocationIdFromContext } from './identity';
import { describeIssue } from './validation';

export type Main = (event: unknown, context: unknown) => Promise<Result<unknown>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function failure(error: AppError): Result<never> {
  return { ok: false, error: error.toApiError() };
}

/** One structured line, through the function's logger when it got that far, else straight to stderr. */
function logError(deps: AppDeps | undefined, event: string, fields: LogFields): void {
  if (deps) deps.log.error(event, fields);
  else process.stderr.write(`${JSON.stringify({ t: new Date().toISOString(), level: 'error', event, ...fields })}\n`);
}

export function createMain(fn: FunctionDef, getDeps: () => AppDeps | Promise<AppDeps>): Main {
  const actions = fn.actions as Record<string, ActionDef<unknown, unknown>>;
  return async function main(event: unknown, context: unknown): Promise<Result<unknown>> {
    let deps: AppDeps | undefined;
    const invocationId = invocationIdFromContext(context);
    const action = isPlainObject(event) && typeof event.action === 'string' ? event.action : undefined;
    try {
      deps = await getDeps();
      if (!isPlainObject(event)) throw new AppError('INVALID_ARGUMENT', '请求格式有误');
      if (action === undefined) throw new AppError('INVALID_ARGUMENT', '缺少 action 字段');
      const def = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
      if (!def || (def.existsWhen && !def.existsWhen(deps))) throw new AppError('INVALID_ARGUMENT', '不支持的操作');
      const caller = callerFromContext(context);
      if (def.auth === 'user' && !caller) throw new AppError('UNAUTHENTICATED');
      const parsed = def.input.safeParse(event);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError(
          'INVALID_ARGUMENT',
          describeIssue(issue, event),
          issue ? { field: issue.path.join('.') } : undefined,
        );
      }
      const base = { deps, invocationId };
      const data =
        def.auth === 'user'
          ? await def.handle(parsed.data, { ...base, caller: caller! })
          : await def.handle(parsed.data, { ...base, caller });
      return { ok: true, data };
    } catch (error) {
      if (isAppError(error)) return failure(error);
      const where = { fn: fn.name, action: action?.slice(0, 40), invocationId };
      if (error instanceof DependencyUnavailableError) {
        logError(deps, 'function.dependency_unavailable', {
          ...where,
          dependency: error.dependency,
          reason: error.reason,
        });
        return failure(new AppError('UNAVAILABLE'));
      }
      if (error instanceof MisconfiguredError) {
        logError(deps, 'function.misconfigured', { ...where, error: error.message.slice(0, 300) });
        return failure(new AppError('INTERNAL'));
      }
      // Unexpected: log what helps us find it (never the request body), answer without internals.
      logError(deps, 'function.unexpected_error', {
        ...where,
        error: error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown',
        stack: error instanceof Error ? error.stack?.split('\n').slice(1, 6).join(' | ') : undefined,
      });
      return failure(new AppError('INTERNAL'));
    }
  };
}
