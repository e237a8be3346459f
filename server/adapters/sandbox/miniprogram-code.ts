/**
 * The sandbox's 小程序码: no appid can ask WeChat here, so the image is a plain QR of the same
 * launch — `scene=<scene>` for `page` — which the preview's 扫码启动 and the devtools' compile mode
 * understand. Drawn on the spot, never stored.
 */
import type {
  MiniProgramCodeImage,
  MiniProgramCodeRequest,
  MiniProgramCodes,
} from '../../domain/ports/miniprogram-code';
import { qrPngDataUrl } from '../qr-image';

export class SandboxMiniProgramCodes implements MiniProgramCodes {
  async image(request: MiniProgramCodeRequest): Promise<MiniProgramCodeImage> {
    const dataUrl = await qrPngDataUrl(`${request.page}?scene=${encodeURIComponent(request.scene)}`);
    return { pngBase64: dataUrl.slice(dataUrl.indexOf(',') + 1), fileId: null };
  }
}
