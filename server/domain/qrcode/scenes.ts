/**
 * 小程序码 scenes. WeChat gives the page a mini program code opens at most 32 characters of
 * `scene`, and order tokens are longer than that, so no code carries a token: every code's scene is
 * a reference, `s.` + 24 base64url characters of an HMAC of the token (key `qr-scene`), stored with
 * the token it stands for. The same token always gets the same scene — so its image is generated
 * once — and without the server secret a scene cannot be guessed from a token or made up. The scan
 * page hands a scene to `qrcode.resolve` like any scanned content; `.` keeps it apart from a bare
 * token (base64url), and every character is one WeChat allows in a scene.
 */
import { createHmac } from 'node:crypto';
import type { MiniProgramCodeView } from '../../../typings/qrcode';
import type { DomainDeps } from '../deps';
import { AppError } from '../errors';
import { DocumentExistsError } from '../ports/store';
import { readToken } from './token';

/** A scene and the token it stands for; doc id = the scene. */
export interface QrSceneDoc {
  id: string;
  token: string;
  /** The token's own expiry (what is kept past it can be purged). */
  expiresAt: number;
  createdAt: number;
}

/** Where every mini program code opens: the page that reads scanned codes. */
export const SCAN_PAGE = 'pages/qrcode/scan/index';

const SCENE = /^s\.[A-Za-z0-9_-]{24}$/;

export function isScene(text: string): boolean {
  return SCENE.test(text);
}

/** The scene for a token (18 bytes of its HMAC: 144 bits). */
export function sceneOf(deps: Pick<DomainDeps, 'secrets'>, token: string): string {
  const mac = createHmac('sha256', deps.secrets.key('qr-scene')).update(token).digest();
  return `s.${mac.subarray(0, 18).toString('base64url')}`;
}

/** The scene of a token we signed, stored so the scan can find the token; idempotent. */
export async function registerScene(deps: DomainDeps, token: string): Promise<string> {
  const { expiresAt } = readToken(deps.secrets, token);
  const scene = sceneOf(deps, token);
  if (await deps.store.get('qrScenes', scene)) return scene;
  try {
    await deps.store.create('qrScenes', { id: scene, token, expiresAt, createdAt: deps.clock.now() });
  } catch (error) {
    // two requests for the same code at once: the other one stored the same document
    if (!(error instanceof DocumentExistsError)) throw error;
  }
  return scene;
}

/** The token a scanned scene stands for; a scene we never issued cannot be read (QR_MALFORMED). */
export async function tokenOfScene(deps: DomainDeps, scene: string): Promise<string> {
  const doc = await deps.store.get('qrScenes', scene);
  if (!doc) throw new AppError('QR_MALFORMED', '无法识别该小程序码，请对方重新出示');
  return doc.token;
}

/** The mini program code of a token: its scene, registered, drawn by the MiniProgramCodes port. */
export async function miniProgramCodeOf(deps: DomainDeps, token: string): Promise<Omit<MiniProgramCodeView, 'codeId'>> {
  const scene = await registerScene(deps, token);
  const image = await deps.miniProgramCodes.image({ scene, page: SCAN_PAGE });
  return { scene, page: SCAN_PAGE, image: `data:${image.mimeType};base64,${image.base64}` };
}
