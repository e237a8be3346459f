/**
 * Hold-to-talk, where the platform allows it: recording needs `wx.getRecorderManager`, and turning
 * speech into text needs a recogniser — WeChat's 同声传译 plugin (WechatSI), whose record-recognition
 * manager records and recognises in one go. The plugin must be declared in app.json to load:
 *   "plugins": { "WechatSI": { "version": "0.3.5", "provider": "wx069ba97219f66d99" } }
 * (an appid that added the plugin is required, so it is not declared by default). Without either,
 * `createVoiceInput()` returns null and the chat page offers text only. The recognised text is sent
 * as a message with `source: 'voice'`; the backend treats it as text.
 */

/** The part of WechatSI's record-recognition manager used here. */
interface RecognitionManager {
  start(options: { lang: string; duration: number }): void;
  stop(): void;
  onStop: (result: { result?: string }) => void;
  onError: (error: { msg?: string }) => void;
}

export interface VoiceInput {
  start(): void;
  /** Resolves with the recognised text ('' when nothing was understood). */
  stop(): Promise<string>;
}

const MAX_RECORDING_MS = 30_000;

function loadRecogniser(): RecognitionManager | null {
  if (typeof requirePlugin !== 'function') return null;
  try {
    const plugin = requirePlugin('WechatSI') as { getRecordRecognitionManager?: () => RecognitionManager };
    return plugin.getRecordRecognitionManager?.() ?? null;
  } catch {
    return null; // not declared in app.json, or not available on this client
  }
}

export function createVoiceInput(): VoiceInput | null {
  if (typeof wx.getRecorderManager !== 'function') return null;
  const manager = loadRecogniser();
  if (!manager) return null;
  let settle: ((text: string) => void) | null = null;
  manager.onStop = (result) => {
    settle?.((result.result ?? '').trim());
    settle = null;
  };
  manager.onError = () => {
    settle?.('');
    settle = null;
  };
  return {
    start() {
      manager.start({ lang: 'zh_CN', duration: MAX_RECORDING_MS });
    },
    stop() {
      return new Promise((resolve) => {
        settle = resolve;
        manager.stop();
      });
    },
  };
}
