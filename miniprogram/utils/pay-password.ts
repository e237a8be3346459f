/** Turns a failed pay-password action into what the pay-password sheet shows. */
import { errorMessage, ServiceError } from '../services/transport';

export interface SheetErrorState {
  /** Shown under the boxes, which clear and shake; carries the tries left ("还可以再试4次"). */
  error: string;
  /** Set when the pay password is locked: replaces the keyboard with the remaining time. */
  lockedMessage: string;
}

export function sheetErrorState(error: unknown): SheetErrorState {
  const message = errorMessage(error, '操作失败，请重试');
  if (error instanceof ServiceError && error.code === 'PAY_PASSWORD_LOCKED')
    return { error: '', lockedMessage: message };
  return { error: message, lockedMessage: '' };
}

/** The state of a closed, clean sheet. */
export const SHEET_CLOSED = { show: false, title: '', subtitle: '', busy: false, error: '', lockedMessage: '' };

/** A refusal of the pay password itself (wrong, locked, not set): shown on the sheet, not on the page. */
export function isPayPasswordError(error: unknown): boolean {
  return error instanceof ServiceError && error.code.startsWith('PAY_PASSWORD_');
}
