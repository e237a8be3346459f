/**
 * What `wx.scanCode` and the "launch by QR" box read: a QR image (uploaded, or pasted from the
 * clipboard) decoded in the page with jsQR, a code from the host's sandbox list, or typed text.
 *
 * Hook for sandbox codes: the host may serve `GET /sandbox/qr-codes` answering
 * `{ ok: true, data: [{ label: string, content: string }] }` (merchant orders, receive codes…).
 * Until a branch adds it the list is simply empty.
 */
import jsQR from 'jsqr';
import type { Overlays } from './overlays';

export interface SandboxQrCode {
  label: string;
  content: string;
}

export const SANDBOX_QR_CODES_PATH = '/sandbox/qr-codes';

export async function sandboxQrCodes(origin: string): Promise<SandboxQrCode[]> {
  try {
    const response = await fetch(`${origin}${SANDBOX_QR_CODES_PATH}`);
    if (!response.ok) return [];
    const body = (await response.json()) as { ok?: boolean; data?: SandboxQrCode[] };
    return body.ok && Array.isArray(body.data) ? body.data : [];
  } catch {
    return [];
  }
}

/** Decodes the first QR code in an image (file, blob or data URL); null when none is found. */
export async function decodeQrImage(source: Blob | string): Promise<string | null> {
  const url = typeof source === 'string' ? source : URL.createObjectURL(source);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return null;
    ctx.drawImage(image, 0, 0);
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
  } finally {
    if (typeof source !== 'string') URL.revokeObjectURL(url);
  }
}

/**
 * The scan dialog inside the frame. Resolves with the text read, or null when cancelled.
 * Every way in ends in the same place: upload, paste, sandbox list, or typing the content.
 */
export function scanDialog(overlays: Overlays, origin: string): Promise<string | null> {
  let settle: (value: string | null) => void = () => undefined;
  const result = new Promise<string | null>((resolve) => (settle = resolve));
  const body = document.createElement('div');
  body.className = 'pv-scan';
  body.innerHTML = `
    <label class="pv-scan__row">上传二维码图片 <input class="pv-scan__file" type="file" accept="image/*"></label>
    <div class="pv-scan__paste" tabindex="0">或在此粘贴二维码图片（Ctrl+V）</div>
    <div class="pv-scan__codes"><div class="pv-scan__hint">沙箱二维码加载中…</div></div>
    <label class="pv-scan__row">或直接输入内容 <input class="pv-scan__text pv-input" type="text" placeholder="二维码里的文字"></label>
    <div class="pv-scan__error" role="alert"></div>`;
  const error = body.querySelector('.pv-scan__error') as HTMLElement;
  // an image or a listed code closes the dialog without a button press
  const done = (value: string | null) => {
    body.closest('.pv-mask')?.remove();
    settle(value);
  };
  const tryImage = async (blob: Blob) => {
    error.textContent = '识别中…';
    const text = await decodeQrImage(blob).catch(() => null);
    if (text === null) error.textContent = '图片里没有识别到二维码';
    else done(text);
  };
  (body.querySelector('.pv-scan__file') as HTMLInputElement).addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (file) void tryImage(file);
  });
  body.querySelector('.pv-scan__paste')!.addEventListener('paste', (event) => {
    const item = [...((event as ClipboardEvent).clipboardData?.items ?? [])].find((i) => i.type.startsWith('image/'));
    const file = item?.getAsFile();
    if (file) void tryImage(file);
    else error.textContent = '剪贴板里不是图片';
  });
  void sandboxQrCodes(origin).then((codes) => {
    const list = body.querySelector('.pv-scan__codes') as HTMLElement;
    list.innerHTML = codes.length === 0 ? '<div class="pv-scan__hint">暂无沙箱二维码</div>' : '';
    for (const code of codes) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'pv-scan__code';
      button.textContent = code.label;
      button.title = code.content;
      button.addEventListener('click', () => done(code.content));
      list.appendChild(button);
    }
  });
  const text = body.querySelector('.pv-scan__text') as HTMLInputElement;
  void overlays
    .dialog<'cancel' | 'text'>({
      title: '扫一扫',
      body,
      className: 'pv-dialog--scan',
      buttons: [
        { text: '取消', value: 'cancel' },
        { text: '使用输入的内容', value: 'text', primary: true },
      ],
    })
    .then((choice) => settle(choice === 'text' && text.value ? text.value : null));
  return result;
}
