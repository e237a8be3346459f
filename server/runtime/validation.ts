/**
 * Schema building blocks shared by every action, and the translation of a schema failure into one
 * Chinese sentence. Field-specific messages are given in the schema itself (`{ error: '…' }`).
 */
import { z } from 'zod';

/** Strings are bounded everywhere: a 10 KB name is refused before any work is done. */
export function text(maxLength: number, label: string) {
  return z.string({ error: `${label}格式有误` }).max(maxLength, { error: `${label}过长` });
}

/** An action's input: the fields it names, nothing else kept (the platform adds `userInfo`). */
export function input<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.object(shape);
}

export const noInput = z.object({}).transform(() => ({}) as Record<string, never>);

export function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return '请求参数有误';
  const custom = issue.message;
  // zod's own English defaults are replaced; messages set in our schemas are already Chinese.
  if (custom && /[\u4e00-\u9fff]/.test(custom)) return custom;
  const field = issue.path.length > 0 ? issue.path.join('.') : '请求';
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `缺少参数 ${field}` : `参数 ${field} 类型有误`;
    case 'too_big':
      return `参数 ${field} 超出允许范围`;
    case 'too_small':
      return `参数 ${field} 低于允许范围`;
    default:
      return `参数 ${field} 有误`;
  }
}
