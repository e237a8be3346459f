/**
 * The last step of top-up, withdraw and transfer: the pay password was entered on the sheet, the
 * request goes out with the intent's requestId (utils/request-id.ts), and the result page takes
 * over. A refused password stays on the sheet (tries left, or the lock); any other failure closes
 * the sheet and shows the server's message on the page, keeping the intent — so confirming the
 * same thing again (after a network error, say) reuses its requestId and cannot move money twice.
 */
import type { OperationView } from '../../typings/ledger';
import { errorMessage } from '../services/transport';
import { isPayPasswordError, SHEET_CLOSED, sheetErrorState } from './pay-password';
import { intentFor, type Intent, type IntentFields } from './request-id';
import { ROUTES } from './routes';

export type SheetState = typeof SHEET_CLOSED;

export interface SubmittingPage {
  data: { _intent: Intent | null; sheet: SheetState };
  setData(data: Record<string, unknown>): void;
}

export async function submitOperation(
  page: SubmittingPage,
  fields: IntentFields,
  send: (requestId: string) => Promise<OperationView>,
  fallback: string,
): Promise<void> {
  const intent = intentFor(page.data._intent, fields);
  page.setData({ _intent: intent, 'sheet.busy': true, submitError: '' });
  try {
    const operation = await send(intent.requestId);
    // The server booked it (or refused it for good): the next confirmation is a new intent.
    page.setData({ _intent: null, sheet: { ...SHEET_CLOSED } });
    void wx.redirectTo({ url: `${ROUTES.result}?id=${operation.operationId}` });
  } catch (error) {
    if (isPayPasswordError(error)) {
      page.setData({ sheet: { ...page.data.sheet, busy: false, ...sheetErrorState(error) } });
    } else {
      page.setData({ sheet: { ...SHEET_CLOSED }, submitError: errorMessage(error, fallback) });
    }
  }
}

/** Opens the pay-password sheet for a confirmed amount: `充值 ¥100.00`. */
export function askPayPassword(page: Pick<SubmittingPage, 'setData'>, subtitle: string): void {
  page.setData({ sheet: { ...SHEET_CLOSED, show: true, title: '请输入支付密码', subtitle } });
}
