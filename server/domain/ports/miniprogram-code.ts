/**
 * 小程序码: the image a phone's WeChat scans to open a page of this mini program with a `scene`
 * (wxacode.getUnlimited). In CloudBase the WeChat adapter asks WeChat and caches the image in cloud
 * storage; the sandbox (local host) draws a plain QR of the scene instead, since no appid can be
 * asked there.
 */
export interface MiniProgramCodeRequest {
  /** What the page receives as `scene`: at most 32 visible characters (WeChat's rule). */
  scene: string;
  /** A page of the released mini program, without a leading slash or query: `pages/qrcode/scan/index`. */
  page: string;
}

export interface MiniProgramCodeImage {
  /** WeChat draws JPEG unless asked for a transparent background; the sandbox draws PNG. */
  mimeType: 'image/png' | 'image/jpeg';
  /** The image bytes, base64. */
  base64: string;
  /** Where the image is kept, when it is (a cloud storage fileID); null when drawn on the spot. */
  fileId: string | null;
}

export interface MiniProgramCodes {
  image(request: MiniProgramCodeRequest): Promise<MiniProgramCodeImage>;
}
