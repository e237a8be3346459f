import type { ApiError } from '../../typings/result';
import type { ErrorCode } from '../../typings/errors';

/** Default user-facing text per code; a throw site may pass a more specific message. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  INVALID_ARGUMENT: '请求参数有误',
  UNAUTHENTICATED: '请在微信中打开后重试',
  NOT_FOUND: '记录不存在',
  IDEMPOTENCY_CONFLICT: '该请求编号已用于另一笔不同的操作',
  FAILED_PRECONDITION: '当前状态不能进行此操作',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  INSUFFICIENT_FUNDS: '零钱余额不足',
  AMOUNT_LIMIT_EXCEEDED: '超出单笔限额',
  DAILY_LIMIT_EXCEEDED: '超出当日累计限额',
  MACHINE_AUTH_FAILED: '排队机认证失败',
  SERVICE_NOT_OFFERED: '该网点不办理此项业务',
  SLOT_FULL: '该时段已约满，请选择其他时段',
  SLOT_PASSED: '该时段已过，请选择其他时段',
  SLOT_CLOSED: '网点该时段不营业',
  SLOT_NOT_YET_BOOKABLE: '该日期暂未开放预约',
  ALREADY_BOOKED: '您已预约该时段',
  APPOINTMENT_LIMIT_REACHED: '您的待办预约已达上限，请先取消或办理后再预约',
  APPOINTMENT_STARTED: '预约时段已开始，无法取消',
  INTERNAL: '系统繁忙，请稍后再试',
};

/** The one error type the domain throws; the runtime turns it into the `{ ok:false }` envelope. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ApiError['details'];

  constructor(code: ErrorCode, message?: string, details?: ApiError['details']) {
    super(message ?? ERROR_MESSAGES[code]);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toApiError(): ApiError {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
