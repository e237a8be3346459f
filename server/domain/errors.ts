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
  PERMISSION_DENIED: '没有权限进行此操作',
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
  UNAVAILABLE: '服务暂时不可用，请稍后再试',
  REAL_NAME_REQUIRED: '请先完成实名认证',
  REAL_NAME_ALREADY_VERIFIED: '已完成实名认证，实名信息不可更改',
  ID_NUMBER_INVALID: '身份证号码有误，请核对后重新输入',
  ID_NUMBER_IN_USE: '该身份证号已在其他微信账号完成实名认证',
  AGE_BELOW_MINIMUM: '未达到实名认证的最低年龄',
  PAY_PASSWORD_NOT_SET: '请先设置支付密码',
  PAY_PASSWORD_ALREADY_SET: '已设置支付密码，如需更换请修改支付密码',
  PAY_PASSWORD_CONFIRM_MISMATCH: '两次输入的支付密码不一致',
  PAY_PASSWORD_TOO_SIMPLE: '支付密码过于简单，请换一个',
  PAY_PASSWORD_UNCHANGED: '新支付密码不能与原支付密码相同',
  PAY_PASSWORD_INCORRECT: '支付密码错误',
  PAY_PASSWORD_LOCKED: '支付密码已锁定，请稍后再试',
  TICKET_INVALID: '验证已失效，请重新输入支付密码',
  TICKET_EXPIRED: '验证已超时，请重新输入支付密码',
  SMS_CODE_INCORRECT: '验证码错误',
  SMS_CODE_EXPIRED: '验证码已过期，请重新获取',
  SMS_CODE_USED: '验证码已使用，请勿重复提交',
  SMS_CODE_ATTEMPTS_EXCEEDED: '验证码错误次数过多，请重新获取',
  SMS_RESEND_TOO_SOON: '验证码发送太频繁，请稍后再试',
  SMS_DAILY_LIMIT: '该手机号今日接收验证码次数已达上限，请明天再试',
  SMS_PHONE_MISMATCH: '手机号与接收验证码的手机号不一致',
  CARD_NUMBER_INVALID: '银行卡号位数不正确，请核对',
  CARD_NUMBER_UNRECOGNIZED: '无法识别该卡号所属银行，请核对卡号',
  CARD_UNSUPPORTED: '暂不支持绑定该银行的银行卡',
  CARD_TYPE_NOT_ALLOWED: '暂不能绑定此类型的银行卡',
  CARD_HOLDER_NOT_SELF: '只能绑定本人实名的银行卡',
  CARD_ALREADY_BOUND: '该银行卡已绑定，无需重复添加',
  CARD_LIMIT_REACHED: '绑定的银行卡已达上限',
  BANK_HOLDER_MISMATCH: '持卡人信息与银行预留信息不一致',
  BANK_PHONE_MISMATCH: '手机号与银行预留手机号不一致，请核对或联系发卡行',
  CARD_FROZEN: '该银行卡已被冻结，请联系发卡行',
  CARD_CLOSED: '该银行卡已销户，请换一张卡',
  CARD_DECLINED: '发卡行拒绝了本次操作，请联系发卡行',
  BANK_UNAVAILABLE: '银行系统繁忙，请稍后再试',
  BINDING_EXPIRED: '绑卡申请已超时，请重新添加',
  QR_NOT_RECOGNIZED: '无法识别该二维码，请扫描本行的收款码或商户付款码',
  QR_MALFORMED: '二维码已损坏，无法识别',
  QR_VERSION_UNSUPPORTED: '请升级小程序后再扫描此二维码',
  QR_SIGNATURE_INVALID: '二维码校验失败，可能已被篡改',
  QR_EXPIRED: '收款码已过期，请对方刷新后再扫',
  QR_REVOKED: '收款码已失效',
  QR_WRONG_KIND: '二维码类型不符',
  QR_OWN_CODE: '不能向自己的收款码转账',
  ORDER_EXPIRED: '订单已过期，请让商户重新生成付款码',
  ORDER_ALREADY_PAID: '该订单已支付，请勿重复付款',
  DEBIT_CARD_REQUIRED: '零钱充值和提现仅支持储蓄卡',
  CREDIT_CARD_REPAYMENT_UNSUPPORTED: '向信用卡转账属于信用卡还款，是单独的服务，暂不支持',
  CARD_VERIFICATION_FAILED: '银行卡信息验证未通过，请核对卡号、身份信息和预留手机号，或联系发卡行',
  ORDER_SUPERSEDED: '商户已更新该订单，此付款码已失效，请扫描商户最新出示的付款码',
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
