/**
 * Reading a QR image the way a phone's camera would: the PNG data URL a function returned is
 * decoded (8-bit RGBA, not interlaced — what the `qrcode` package writes) and its code read with jsQR.
 */
import { inflateSync } from 'node:zlib';
import jsQR from 'jsqr';

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const [dl, du, dul] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
  return dl <= du && dl <= dul ? left : du <= dul ? up : upLeft;
}

/** RGBA pixels of an 8-bit RGBA, non-interlaced PNG. */
function decodePng(png: Buffer): { width: number; height: number; data: Uint8ClampedArray } {
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const chunk = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = chunk.readUInt32BE(0);
      height = chunk.readUInt32BE(4);
      if (chunk[8] !== 8 || chunk[9] !== 6 || chunk[12] !== 0) throw new Error('only 8-bit RGBA, not interlaced');
    } else if (type === 'IDAT') idat.push(chunk);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const data = new Uint8ClampedArray(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!;
    const source = row * (stride + 1) + 1;
    const target = row * stride;
    for (let i = 0; i < stride; i++) {
      const left = i >= 4 ? data[target + i - 4]! : 0;
      const up = row > 0 ? data[target - stride + i]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) predicted = paeth(left, up, row > 0 && i >= 4 ? data[target - stride + i - 4]! : 0);
      data[target + i] = (raw[source + i]! + predicted) & 0xff;
    }
  }
  return { width, height, data };
}

/** The text of the QR in a `data:image/png;base64,…` image, or null when none is found. */
export function readQrImage(dataUrl: string): string | null {
  const match = /^data:image\/png;base64,(.+)$/.exec(dataUrl);
  if (!match) throw new Error('not a PNG data URL');
  const { width, height, data } = decodePng(Buffer.from(match[1]!, 'base64'));
  return jsQR(data, width, height)?.data ?? null;
}
