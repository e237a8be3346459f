/**
 * The runtime's envelope, rule by rule, on a small function of its own: routing by action,
 * identity from the context only, validation messages in Chinese, and every failure answered as
 * `{ ok: false, error }` with one structured log line — the cases Stryker found untested in
 * server/runtime (the built functions test the same rules in child processes, out of its sight).
 */
import * as z from 'zod';
import { MemoryLogger } from '../../server/adapters/system';
import { AppError } from '../../server/domain/errors';
import { DependencyUnavailableError, MisconfiguredError } from '../../server/domain/ports/failures';
import { cloudbaseContext } from '../../server/host/http';
import type { FunctionDef } from '../../server/runtime/define';
import type { AppDeps } from '../../server/runtime/deps';
import { callerFromContext, invocationIdFromContext } from '../../server/runtime/identity';
import { createMain } from '../../server/runtime/main';
import { describeIssue, input, noInput, text, withCredential } from '../../server/runtime/validation';

const log = new MemoryLogger();
const deps = { log } as unknown as AppDeps;

const definition = {
  name: 'user',
  actions: {
    echo: {
      auth: 'user',
      input: input({ n: z.number(), label: z.string().max(3).optional() }),
      handle: async (request: { n: number }, ctx: { caller: { openid: string }; invocationId: string }) => ({
        n: request.n,
        openid: ctx.caller.openid,
        invocationId: ctx.invocationId,
      }),
    },
    open: {
      auth: 'public',
      input: noInput,
      handle: async (_: unknown, ctx: { caller: unknown }) => ({ caller: ctx.caller }),
    },
    hidden: { auth: 'public', input: noInput, existsWhen: () => false, handle: async () => ({}) },
    shown: { auth: 'public', input: noInput, existsWhen: () => true, handle: async () => ({ shown: true }) },
    down: {
      auth: 'public',
      input: noInput,
      handle: async () => {
        throw new DependencyUnavailableError('cloudbase', 'timeout');
      },
    },
    misconfigured: {
      auth: 'public',
      input: noInput,
      handle: async () => {
        throw new MisconfiguredError(`WXBANK_SECRET is not set ${'x'.repeat(400)}`);
      },
    },
    boom: {
      auth: 'public',
      input: noInput,
      handle: async () => {
        throw new TypeError('kaput');
      },
    },
    stackless: {
      auth: 'public',
      input: noInput,
      handle: async () => {
        const error = new Error('no stack');
        delete error.stack;
        throw error;
      },
    },
    refused: {
      auth: 'public',
      input: noInput,
      handle: async () => {
        throw new AppError('NOT_FOUND', '没有这条记录');
      },
    },
  },
} as unknown as FunctionDef;

const main = createMain(definition, () => deps);
const as = (openid?: string) => cloudbaseContext('user', openid, {} as Parameters<typeof cloudbaseContext>[2]);
const described = (schema: z.ZodType, value: unknown) => describeIssue(schema.safeParse(value).error!.issues[0], value);
const lastLine = () => JSON.parse(log.lines.at(-1)!) as Record<string, unknown>;

beforeEach(() => log.lines.splice(0));

test('routes by action: missing, unknown, own-property only, and hidden by existsWhen are refused alike', async () => {
  expect(await main({}, as('o-a'))).toEqual({
    ok: false,
    error: expect.objectContaining({ code: 'INVALID_ARGUMENT', message: '缺少 action 字段' }),
  });
  for (const action of ['nope', 'toString', 'hidden']) {
    expect(await main({ action }, as('o-a'))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: '不支持的操作' },
    });
  }
  expect(await main({ action: 'shown' }, as())).toEqual({ ok: true, data: { shown: true } });
  for (const event of [null, 'echo', ['echo'], 7]) {
    expect(await main(event, as('o-a'))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_ARGUMENT', message: '请求格式有误' },
    });
  }
  expect(await main({ action: 5 }, as('o-a'))).toMatchObject({ error: { message: '缺少 action 字段' } });
});

test('identity comes from the context only: a user action needs it, a public one gets it or null', async () => {
  expect(await main({ action: 'echo', n: 1, openid: 'o-spoofed' }, as())).toMatchObject({
    ok: false,
    error: { code: 'UNAUTHENTICATED' },
  });
  const context = as('o-a');
  expect(await main({ action: 'echo', n: 1, openid: 'o-spoofed' }, context)).toEqual({
    ok: true,
    data: { n: 1, openid: 'o-a', invocationId: context.request_id },
  });
  expect(await main({ action: 'open' }, as())).toEqual({ ok: true, data: { caller: null } });
  expect(await main({ action: 'open' }, as('o-b'))).toEqual({ ok: true, data: { caller: { openid: 'o-b' } } });
  expect(callerFromContext(null)).toBeNull();
  expect(callerFromContext('o-a')).toBeNull();
  expect(callerFromContext({ environment: '{not json' })).toBeNull();
  expect(callerFromContext(as('bad openid with spaces'))).toBeNull();
});

test('the invocation id is the context request_id, bounded; anything else is empty', () => {
  expect(invocationIdFromContext({ request_id: 'r-1' })).toBe('r-1');
  expect(invocationIdFromContext({ request_id: 'r'.repeat(100) })).toBe('r'.repeat(64));
  expect(invocationIdFromContext({ request_id: 42 })).toBe('');
  expect(invocationIdFromContext(null)).toBe('');
  expect(invocationIdFromContext('r-1')).toBe('');
});

test('a schema failure is INVALID_ARGUMENT with a Chinese sentence and the field', async () => {
  expect(await main({ action: 'echo' }, as('o-a'))).toEqual({
    ok: false,
    error: expect.objectContaining({ code: 'INVALID_ARGUMENT', message: '缺少参数 n', details: { field: 'n' } }),
  });
  expect(await main({ action: 'echo', n: '1' }, as('o-a'))).toMatchObject({
    error: { message: '参数 n 类型有误', details: { field: 'n' } },
  });
  expect(await main({ action: 'echo', n: 1, label: 'long' }, as('o-a'))).toMatchObject({
    error: { message: '参数 label 超出允许范围' },
  });
});

test('describeIssue: Chinese messages kept, zod English replaced by kind, the whole request named when no field', () => {
  const described = (schema: z.ZodType, value: unknown) =>
    describeIssue(schema.safeParse(value).error!.issues[0], value);
  expect(describeIssue(undefined)).toBe('请求参数有误');
  expect(described(z.string({ error: '姓名格式有误' }), 1)).toBe('姓名格式有误');
  expect(described(z.object({ a: z.string() }), {})).toBe('缺少参数 a');
  expect(described(z.object({ a: z.string() }), { a: 1 })).toBe('参数 a 类型有误');
  expect(described(z.number().max(3), 4)).toBe('参数 请求 超出允许范围');
  expect(described(z.object({ a: z.number().min(3) }), { a: 1 })).toBe('参数 a 低于允许范围');
  expect(described(z.object({ a: z.enum(['x']) }), { a: 'y' })).toBe('参数 a 有误');
  expect(described(z.string(), undefined)).toBe('缺少参数 请求');
  // a path through something that is not an object has no value there
  const deep = { code: 'invalid_type', expected: 'string', path: ['a', 'b'], message: 'Invalid input' } as const;
  expect(describeIssue(deep as unknown as z.core.$ZodIssue, { a: null })).toBe('缺少参数 a.b');
  expect(describeIssue(deep as unknown as z.core.$ZodIssue, { a: 'text' })).toBe('缺少参数 a.b');
  expect(describeIssue(deep as unknown as z.core.$ZodIssue, { a: { b: 1 } })).toBe('参数 a.b 类型有误');
});

test('a bounded text field says what is wrong with it in its own words', () => {
  const name = text(4, '姓名');
  expect(described(name, 1)).toBe('姓名格式有误');
  expect(described(name, '张三李四王')).toBe('姓名过长');
  expect(name.safeParse('张三李四').success).toBe(true);
});

test('a credential is exactly one of pay password and ticket', () => {
  const schema = withCredential({});
  expect(schema.safeParse({ payPassword: '258036' }).success).toBe(true);
  expect(schema.safeParse({ ticket: 'tk_1' }).success).toBe(true);
  expect(schema.safeParse({}).error!.issues[0]).toMatchObject({ message: '请输入支付密码', path: ['payPassword'] });
  expect(schema.safeParse({ payPassword: '258036', ticket: 'tk_1' }).success).toBe(false);
});

test('failures: business refusals as they are, the rest as UNAVAILABLE or INTERNAL with one log line', async () => {
  const context = as('o-a');
  expect(await main({ action: 'refused' }, context)).toEqual({
    ok: false,
    error: expect.objectContaining({ code: 'NOT_FOUND', message: '没有这条记录' }),
  });
  expect(log.lines).toHaveLength(0);

  expect(await main({ action: 'down' }, context)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  expect(lastLine()).toMatchObject({
    level: 'error',
    event: 'function.dependency_unavailable',
    fn: 'user',
    action: 'down',
    invocationId: context.request_id,
    dependency: 'cloudbase',
    reason: 'timeout',
  });

  expect(await main({ action: 'misconfigured' }, context)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  const misconfigured = lastLine();
  expect(misconfigured).toMatchObject({ event: 'function.misconfigured', action: 'misconfigured' });
  expect(misconfigured.error).toMatch(/^WXBANK_SECRET is not set x+$/);
  expect((misconfigured.error as string).length).toBe(300);

  const answer = await main({ action: 'boom' }, context);
  expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  expect(JSON.stringify(answer)).not.toContain('kaput');
  const unexpected = lastLine();
  expect(unexpected).toMatchObject({ event: 'function.unexpected_error', error: 'TypeError: kaput' });
  const stack = (unexpected.stack as string).split(' | ');
  expect(stack.length).toBeGreaterThan(0);
  expect(stack.length).toBeLessThanOrEqual(5);
  expect(stack[0]).toMatch(/^\s*at /);

  expect(await main({ action: 'stackless' }, context)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  expect(lastLine()).toMatchObject({ event: 'function.unexpected_error', error: 'Error: no stack' });
  expect(lastLine()).not.toHaveProperty('stack');
  // a 50-character action name is logged cut to 40
  const longName = `a${'b'.repeat(49)}`;
  expect(await main({ action: longName }, context)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
});

test('deps that cannot be built: the envelope still answers, and the line goes to stderr', async () => {
  const failing = createMain(definition, () => {
    throw new DependencyUnavailableError('cloudbase', 'credentials');
  });
  const written: string[] = [];
  const write = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    expect(await failing({ action: 'open' }, as('o-a'))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  } finally {
    write.mockRestore();
  }
  expect(written).toHaveLength(1);
  // and with no action at all (nothing to name), or a long one (cut to 40 in the log)
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    expect(await failing({}, as('o-a'))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await failing({ action: 'x'.repeat(50) }, as('o-a'))).toMatchObject({ error: { code: 'UNAVAILABLE' } });
  } finally {
    spy.mockRestore();
  }
  expect(JSON.parse(written[1]!)).not.toHaveProperty('action');
  expect(JSON.parse(written[2]!)).toMatchObject({ action: 'x'.repeat(40) });
  expect(JSON.parse(written[0]!)).toMatchObject({
    level: 'error',
    event: 'function.dependency_unavailable',
    action: 'open',
    reason: 'credentials',
  });
});
