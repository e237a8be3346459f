/**
 * QR images from the `qrcode` package: PNG data URLs for the pages (`<image src>` shows them), and
 * text blocks for a terminal (the local host's merchant-order script).
 */
import type * as QRCodeApi from 'qrcode';
import { CONFIG } from '../config';

// The package's node entry by name: resolvers that prefer its `browser` field (jest's jsdom
// environment, where page tests run the host too) would otherwise load the canvas build.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const QRCode = require('qrcode/lib/server') as typeof QRCodeApi;

/**
 * The content as one byte-mode segment of its UTF-8 (what the package would pick for a link
 * anyway), handed over as bytes so the encoding does not depend on a global TextEncoder.
 */
function segments(content: string): QRCodeApi.QRCodeSegment[] {
  return [{ data: Buffer.from(content, 'utf8'), mode: 'byte' }];
}

/** `data:image/png;base64,…` of the QR for `content`; error correction M, a quiet zone of 2 modules. */
export function qrPngDataUrl(content: string): Promise<string> {
  return QRCode.toDataURL(segments(content), {
    type: 'image/png',
    errorCorrectionLevel: 'M',
    margin: 2,
    width: CONFIG.qr.imageWidthPx,
    // One cheap filter (each row against the one above: a QR's rows repeat) instead of pngjs trying
    // all five per row, and deflate's default strategy instead of run-length only: ~3 KB, quickly.
    rendererOpts: { filterType: 2, deflateStrategy: 0 },
  } as QRCodeApi.QRCodeToDataURLOptions);
}

/** The QR drawn with block characters, two modules per line, for a terminal. */
export function qrTerminalText(content: string): Promise<string> {
  return QRCode.toString(segments(content), { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}
