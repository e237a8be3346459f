/**
 * Function `qrcode`: the caller's receive codes (收款码) — as a QR of their link and as a 小程序码 —
 * reading a scanned code, and paying a merchant order from the wallet. QR images of links are drawn
 * here (PNG data for the page); 小程序码 come from the MiniProgramCodes port (WeChat, or the sandbox).
 */
import * as z from 'zod';
import { qrPngDataUrl } from '../adapters/qr-image';
import { payOrder } from '../domain/ledger/payments';
import { issueReceiveCode, receiveMiniProgramCode, revokeReceiveCode } from '../domain/qrcode/receive';
import { resolveScan } from '../domain/qrcode/resolve';
import { defineFunction } from '../runtime/define';
import { input, qrToken, recordId, requestId, text, withCredential } from '../runtime/validation';

export const qrcodeFunction = defineFunction('qrcode', {
  receiveCode: {
    auth: 'user',
    input: input({
      cardId: recordId('银行卡编号'),
      refresh: z.boolean({ error: '刷新应为 true 或 false' }).optional(),
    }),
    handle: async (request, ctx) => {
      const code = await issueReceiveCode(ctx.deps, ctx.caller, request);
      return { ...code, image: await qrPngDataUrl(code.content) };
    },
  },
  revokeReceiveCode: {
    auth: 'user',
    input: input({ codeId: recordId('收款码编号') }),
    handle: (request, ctx) => revokeReceiveCode(ctx.deps, ctx.caller, request.codeId),
  },
  miniProgramCode: {
    auth: 'user',
    input: input({ codeId: recordId('收款码编号') }),
    handle: (request, ctx) => receiveMiniProgramCode(ctx.deps, ctx.caller, request.codeId),
  },
  resolve: {
    auth: 'user',
    // Whatever the camera read: our link, a mini program code's scene, a bare token, or anything else.
    input: input({ content: text(1024, '二维码内容').min(1, { error: '二维码内容为空' }) }),
    handle: (request, ctx) => resolveScan(ctx.deps, ctx.caller, request.content),
  },
  payOrder: {
    auth: 'user',
    input: withCredential({ requestId, orderToken: qrToken('付款码') }),
    handle: (request, ctx) => payOrder(ctx.deps, ctx.caller, request),
  },
});
