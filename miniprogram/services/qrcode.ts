/** Typed client of the `qrcode` cloud function: receive codes (and their 小程序码), scanned codes, paying merchant orders. */
import type { OperationView } from '../../typings/ledger';
import type { MiniProgramCodeView, PayOrderRequest, ReceiveCodeView, ScanResolution } from '../../typings/qrcode';
import { callFunction } from './transport';

export const qrcodeService = {
  receiveCode(cardId: string, refresh = false): Promise<ReceiveCodeView> {
    return callFunction('qrcode', 'receiveCode', refresh ? { cardId, refresh } : { cardId });
  },
  revokeReceiveCode(codeId: string): Promise<{ codeId: string; revoked: true }> {
    return callFunction('qrcode', 'revokeReceiveCode', { codeId });
  },
  miniProgramCode(codeId: string): Promise<MiniProgramCodeView> {
    return callFunction('qrcode', 'miniProgramCode', { codeId });
  },
  resolve(content: string): Promise<ScanResolution> {
    return callFunction('qrcode', 'resolve', { content });
  },
  payOrder(request: PayOrderRequest): Promise<OperationView> {
    return callFunction('qrcode', 'payOrder', request);
  },
};
