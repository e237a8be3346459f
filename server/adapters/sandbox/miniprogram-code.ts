/**
 * The sandbox's 小程序码: no appid can ask WeChat here, so the image is a plain QR of the scene
 * itself. Whatever reads it — the app's 扫一扫, the preview's 扫码启动, a devtools compile mode
 * `scene=<scene>` — hands the scene to the scan page, as WeChat does for a real code. Drawn on the
 * spot, never stored.
 */
import type {
  MiniProgramCodeImage,
  MiniProgramCodeRequest,
  MiniProgramCodes,
} from '../../domain/ports/miniprogram-code';
import { qrPngDataUrl } from '../qr-image';

export class SandboxMiniProgramCodes implements MiniProgramCodes {
  async image(request: MiniProgramCodeRequest): Promise<MiniProgramCodeImage> {
    const dataUrl = await qrPngDataUrl(request.scene);
    return { mimeType: 'image/png', base64: dataUrl.slice(dataUrl.indexOf(',') + 1), fileId: null };
  }
}
