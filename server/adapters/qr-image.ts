/**
 * QR images from the `qrcode` package: PNG data URLs for the pages (`<image src>` shows them), and
 * text blocks for a terminal (the local host's merchant-order script).
 */
import QRCode from 'qrcode';
import { CONFIG } from '../config';

/** `data:image/png;base64,…` of the QR for `content`; error correction M, a quiet zone of 2 modules. */
export function qrPngDataUrl(content: string): Promise<string> {
  return QRCode.toDataURL(content, {
    type: 'image/png',
    errorCorrectionLevel: 'M',
    margin: 2,
    width: CONFIG.qr.imageWidthPx,
    // One cheap filter (each row against the one above: a QR's rows repeat) instead of pngjs trying
    // all five per row, and deflate's default strategy instead of run-length only: ~3 KB, quickly.
    rendererOpts: { filterType: 2, deflateStrategy: 0 },
  } as QRCode.QRCodeToDataURLOptions);
}

/** The QR drawn with block characters, two modules per line, for a terminal. */
export function qrTerminalText(content: string): Promise<string> {
  return QRCode.toString(content, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}
