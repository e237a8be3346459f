/**
 * Schema building blocks shared by every action, and the translation of a schema failure into one
 * Chinese sentence. Field-specific messages are given in the schema itself (`{ error: '…' }`).
 */
import * as z from 'zod';

/** Strings are bounded everywhere: a 10 KB name is refused before any work is done. */
export function text(maxLength: number, label: string) {
  return z.string({ error: `${label}格式有误` }).max(maxLength, { error: `${label}过长` });
}

/** An action's input: the fields it names, nothing else kept (the platform adds `userInfo`). */
export function input<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape);
}

export const noInput = z.object({}).transform(() => ({}) as Record<string, never>);

/** The value at `path` inside `root`, or undefined where the path leaves objects. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * One Chinese sentence for a schema failure. `input` is what was parsed: zod 4 issues do not carry
 * the offending value, and "missing" and "of the wrong type" differ only by it.
 */
export function describeIssue(issue: z.core.$ZodIssue | undefined, input?: unknown): string {
  if (!issue) return '请求参数有误';
  const custom = issue.message;
  // zod's own English defaults are replaced; messages set in our schemas are already Chinese.
  if (custom && /[\u4e00-\u9fff]/.test(custom)) return custom;
  const field = issue.path.length > 0 ? issue.path.join('.') : '请求';
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? `缺少参数 ${field}` : `参数 ${field} 类型有误`;
    case 'too_big':
      return `参数 ${field} 超出允许范围`;
    case 'too_small':
      return `参数 ${field} 低于允许范围`;
    default:
      return `参数 ${field} 有误`;
  }
}

// Fields of real-name, pay password and card requests, shared by user, verify, cards and the ledger.

/** A Chinese resident's name: Chinese characters, with `·` between the parts of a transliterated name. */
export const personName = text(30, '姓名')
  .trim()
  .regex(/^[\u3400-\u4dbf\u4e00-\u9fff]+(?:[·•][\u3400-\u4dbf\u4e00-\u9fff]+)*$/, { error: '姓名只能包含汉字和·' })
  .min(2, { error: '姓名至少2个字' });

/** Shape only; the region, birth date and check digit are checked by the domain (ID_NUMBER_INVALID). */
export const idNumber = text(18, '身份证号').regex(/^\d{17}[\dXx]$/, { error: '身份证号码应为18位' });

export const mobilePhone = text(11, '手机号').regex(/^1[3-9]\d{9}$/, { error: '请输入11位手机号' });

export const payPassword = text(6, '支付密码').regex(/^\d{6}$/, { error: '支付密码为6位数字' });

export const smsCode = text(6, '验证码').regex(/^\d{6}$/, { error: '验证码为6位数字' });

/** Card numbers as typed: digits, spaces allowed between groups. */
export const cardNumber = text(30, '银行卡号').regex(/^[\d ]+$/, { error: '银行卡号只能包含数字' });

/**
 * Money on the wire: a positive whole number of fen. Floats, strings, zero, negatives and numbers
 * past 2^53 are refused here; business limits (per transaction, per day) are the domain's, with
 * their own error codes.
 */
export const amountFen = z
  .number({ error: '金额应为以分为单位的整数' })
  .int({ error: '金额应为以分为单位的整数' })
  .positive({ error: '金额必须大于0' })
  .max(Number.MAX_SAFE_INTEGER, { error: '金额超出允许范围' });

/** A client-generated idempotency key: one per intended operation, reused when the same request is retried. */
export const requestId = text(64, '请求编号').regex(/^[A-Za-z0-9_-]{8,64}$/, {
  error: '请求编号应为8–64位字母、数字、-或_',
});

/** What a page's answer hands back as `nextCursor` is at most this long. */
const MAX_CURSOR_LENGTH = 200;

/**
 * The fields of a paged request, the same for every paged action: `cursor` — absent for the first
 * page, else exactly the `nextCursor` of the page before (never empty) — and `limit`, 1 to
 * `maxLimit` items. One message each, whatever is wrong with it.
 */
export function paging(maxLimit: number) {
  const cursorError = '分页参数无效';
  const limitError = `每页条数应为 1–${maxLimit} 的整数`;
  return {
    cursor: z
      .string({ error: cursorError })
      .min(1, { error: cursorError })
      .max(MAX_CURSOR_LENGTH, { error: cursorError })
      .optional(),
    limit: z
      .number({ error: limitError })
      .int({ error: limitError })
      .min(1, { error: limitError })
      .max(maxLimit, { error: limitError })
      .optional(),
  };
}

/** A QR token as `qrcode.resolve` hands it out (`receiveToken`, `orderToken`); its content is checked by the domain. */
export function qrToken(label: string) {
  return text(300, label).regex(/^[A-Za-z0-9_-]+$/, { error: `${label}无效，请重新扫码` });
}

/** Ids the functions hand out (`card_…`, `bind_…`). */
export function recordId(label: string) {
  return text(64, label).regex(/^[A-Za-z0-9_-]+$/, { error: `${label}格式有误` });
}

/**
 * An action input that also carries the sensitive-action credential (typings/verify.ts
 * SensitiveCredentialFields): exactly one of `payPassword` or `ticket`.
 */
export function withCredential<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object({ ...shape, payPassword: payPassword.optional(), ticket: text(64, '验证凭证').optional() }).refine(
    (value) => {
      const { payPassword: password, ticket } = value as { payPassword?: string; ticket?: string };
      return (password === undefined) !== (ticket === undefined);
    },
    {
      error: '请输入支付密码',
      path: ['payPassword'],
    },
  );
}
