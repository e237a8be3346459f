/**
 * Where scanned codes come in, and the one page that reads them (pages/qrcode/scan):
 *  - 扫一扫 in the app: `wx.scanCode` → the scan page with `content`;
 *  - WeChat's own scanner on a code's link (扫普通链接二维码打开小程序): launch option `q`, the
 *    URL-encoded link;
 *  - a mini program code (小程序码): launch option `scene`, URL-encoded, which stands for a token.
 * The link rule and the mini program code open the scan page itself. A launch that lands anywhere
 * else with `q`/`scene` (a rule pointed at the home page, a warm start) is remembered in the app's
 * globalData and handed on by the home page.
 */
export const SCAN_PAGE = '/pages/qrcode/scan/index';

type Query = Record<string, string | undefined>;

/** A query value URL-decoded, or as it is when it is not valid encoding. */
export function decoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The scanned content a page's query or the launch options carry, or null. */
export function scannedContent(query: Query | undefined): string | null {
  if (!query) return null;
  if (query.content) return decoded(query.content);
  if (query.q) return decoded(query.q);
  if (query.scene) return decoded(query.scene);
  return null;
}

/** What the app keeps between its launch and the first page that can act on it. */
export interface LaunchState {
  launchQr?: string | null;
}

/** App onLaunch/onShow (with the app's own globalData): a QR launch that did not open the scan page is kept. */
export function rememberLaunch(state: LaunchState, options: { path?: string; query?: Query } | undefined): void {
  const content = scannedContent(options?.query);
  if (content && `/${options?.path ?? ''}` !== SCAN_PAGE) state.launchQr = content;
}

/** The remembered QR launch, once. */
export function takeLaunchContent(): string | null {
  const state =
    typeof getApp === 'function' ? (getApp() as { globalData?: LaunchState } | undefined)?.globalData : undefined;
  const content = state?.launchQr ?? null;
  if (state) state.launchQr = null;
  return content;
}

export function scanPageUrl(content: string): string {
  return `${SCAN_PAGE}?content=${encodeURIComponent(content)}`;
}

/** What `wx.scanCode` read: the text of a QR, or the scene of our own mini program code. */
function contentOf(result: WechatMiniprogram.ScanCodeSuccessCallbackResult): string {
  const scene = result.path ? /[?&]scene=([^&]*)/.exec(result.path)?.[1] : undefined;
  return scene ? decoded(scene) : result.result;
}

/**
 * Opens the camera (in the devtools: an image picker); resolves with what was read, or null when
 * the user backed out. Other failures are shown as a toast.
 */
export async function scan(): Promise<string | null> {
  try {
    const result = await wx.scanCode({ onlyFromCamera: false, scanType: ['qrCode', 'wxCode'] });
    return contentOf(result);
  } catch (error) {
    const message = (error as { errMsg?: string } | null)?.errMsg ?? '';
    if (!/cancel/.test(message)) wx.showToast({ title: '无法打开扫一扫', icon: 'none' });
    return null;
  }
}
