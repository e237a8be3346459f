/**
 * One journey file's world: a test host serving a built preview, and a browser to open it in,
 * started before the file's first test and closed after its last.
 */
import path from 'node:path';
import { launchBrowser, openPreview, type Browser, type PreviewPage } from './browser';
import { startTestHost, type TestHost } from './host';

/** The real mini program's preview, built by test/journeys/global-setup.js before any journey runs. */
export const PREVIEW_DIR = path.resolve(__dirname, '../../dist/preview');

export interface Journey {
  /** The file's test host (from its `beforeAll` on). */
  readonly host: TestHost;
  /** Opens the preview of the host in the file's browser. */
  open(options?: Parameters<typeof openPreview>[2]): Promise<PreviewPage>;
}

export function useJourney(
  options: {
    /** Another built preview (default: the real mini program's). */
    previewDir?: string;
    /** Sets the host up (seeds, clock) before the browser starts. */
    prepare?(host: TestHost): Promise<unknown> | void;
  } = {},
): Journey {
  let host: TestHost | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    host = await startTestHost({ previewDir: options.previewDir ?? PREVIEW_DIR });
    await options.prepare?.(host);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });
  return {
    get host() {
      if (!host) throw new Error('the journey host starts in beforeAll');
      return host;
    },
    open(previewOptions) {
      if (!host || !browser) throw new Error('the journey host starts in beforeAll');
      return openPreview(browser, host.url, previewOptions);
    },
  };
}
