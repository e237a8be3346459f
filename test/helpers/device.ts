/**
 * The phone, for page tests: the `wx` APIs a page uses, implemented for real where they can run
 * here (wx.request does real HTTP to a test host; storage keeps values; navigation and toasts are
 * recorded the way the WeChat client would act on them). Only APIs that need a phone — scanCode,
 * getLocation, openLocation, makePhoneCall, requestSubscribeMessage — are answered by the test,
 * explicitly, per test (`device.answers`, or answerLocation / answerScan / answerSubscribe); a call
 * the test did not answer fails it.
 */
import { httpRequest } from './http';

export interface Navigation {
  kind: 'navigateTo' | 'redirectTo' | 'navigateBack' | 'switchTab' | 'reLaunch';
  url?: string;
}

/** A phone API's answer: its success result, or the errMsg it fails with (e.g. the user refused). */
export type Answer<T> = { ok: T } | { fail: string };

/** Answers for the APIs that need a phone. Each test sets the ones its page will call; an unanswered call fails the test. */
export interface PhoneAnswers {
  /** wx.getLocation({ type: 'gcj02' }): a position, or e.g. `getLocation:fail auth deny`. */
  getLocation?: Answer<{ latitude: number; longitude: number; accuracy?: number; speed?: number }>;
  /** wx.openLocation (the map app opens) and wx.makePhoneCall (the dialler opens). */
  openLocation?: Answer<true>;
  makePhoneCall?: Answer<true>;
  /** wx.scanCode: what the camera read (`path` for a mini program code), or e.g. `scanCode:fail cancel`. */
  scanCode?: Answer<{ result: string; scanType?: string; path?: string }>;
  /** wx.requestSubscribeMessage: the user's answer per template id (`accept` | `reject` | `ban`). */
  requestSubscribeMessage?: Answer<Record<string, string>>;
}

export interface Device {
  storage: Map<string, unknown>;
  answers: PhoneAnswers;
  /** Calls made to phone APIs, in order, with their options (callbacks left out). */
  phoneCalls: { api: keyof PhoneAnswers; options: Record<string, unknown> }[];
  navigations: Navigation[];
  toasts: string[];
  modals: { title?: string; content?: string }[];
  /** How often a page ended its pull-down refresh (wx.stopPullDownRefresh). */
  pullDownStops: number;
  /** Answer for the next showModal calls (default: confirm). */
  modalAnswer: { confirm: boolean };
  requests: { url: string; data: unknown }[];
  /** Resolves when no request is in flight (so no page work outlives its test). */
  idle(): Promise<void>;
}

type Callbacks<T> = {
  success?: (result: T) => void;
  fail?: (error: { errMsg: string }) => void;
  complete?: () => void;
};

function settle<T>(options: Callbacks<T>, work: Promise<T>): Promise<T> {
  return work.then(
    (result) => {
      options.success?.(result);
      options.complete?.();
      return result;
    },
    (error: { errMsg: string }) => {
      options.fail?.(error);
      options.complete?.();
      throw error;
    },
  );
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ statusCode: number; data: unknown }> {
  const response = await httpRequest(url, { method: 'POST', headers, body }).catch(() => {
    throw { errMsg: 'request:fail' };
  });
  let data: unknown = response.text;
  try {
    data = JSON.parse(response.text);
  } catch {
    // wx.request hands back the raw text when it is not JSON
  }
  return { statusCode: response.status, data };
}

/** Replaces the APIs miniprogram-simulate mocks with working ones on the global `wx`. */
let inFlight = 0;

async function waitIdle(): Promise<void> {
  for (let i = 0; i < 500 && inFlight > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  // let the pages' continuations (setData after a response) run while the DOM still exists
  await new Promise((resolve) => setTimeout(resolve, 20));
}

// A page still awaiting a response when its test ends would render into a torn-down DOM.
afterEach(waitIdle);

/** Phone APIs a page called without the test having answered them: reported when the test ends. */
const unanswered: string[] = [];
afterEach(() => {
  const missing = unanswered.splice(0);
  if (missing.length > 0) throw new Error(`the page called ${missing.join(', ')} but the test gave no answer`);
});

function phoneApi<K extends keyof PhoneAnswers>(device: Device, api: K) {
  return (options: Callbacks<unknown> & Record<string, unknown>) => {
    const { success: _s, fail: _f, complete: _c, ...rest } = options;
    device.phoneCalls.push({ api, options: rest });
    const answer = device.answers[api] as Answer<unknown> | undefined;
    if (!answer) unanswered.push(`wx.${api}`);
    const result =
      answer && 'ok' in answer
        ? Promise.resolve(
            answer.ok === true ? { errMsg: `${api}:ok` } : { ...(answer.ok as object), errMsg: `${api}:ok` },
          )
        : Promise.reject({ errMsg: answer && 'fail' in answer ? answer.fail : `${api}:fail no answer from the test` });
    const settled = settle(options, result);
    // like WeChat: with callbacks there is no promise (so no unhandled rejection), without them there is
    if (options.success || options.fail || options.complete) {
      settled.catch(() => undefined);
      return undefined;
    }
    return settled;
  };
}

let simulatedRecorder: unknown;
/** The device of the running test: helpers like answerLocation set its answers. */
let currentDevice: Device | undefined;

export function installDevice(): Device {
  const device: Device = {
    storage: new Map(),
    answers: {},
    phoneCalls: [],
    navigations: [],
    toasts: [],
    modals: [],
    pullDownStops: 0,
    modalAnswer: { confirm: true },
    requests: [],
    idle: waitIdle,
  };
  currentDevice = device;
  const wxApi = (globalThis as unknown as { wx: Record<string, unknown> }).wx;
  // Speech answers from an earlier test (answerSpeech) must not leak into this one.
  delete (globalThis as { requirePlugin?: unknown }).requirePlugin;
  simulatedRecorder ??= wxApi.getRecorderManager;
  wxApi.getRecorderManager = simulatedRecorder;
  Object.assign(wxApi, {
    request(
      options: Callbacks<{ statusCode: number; data: unknown }> & {
        url: string;
        method?: string;
        data?: unknown;
        header?: Record<string, string>;
      },
    ) {
      device.requests.push({ url: options.url, data: options.data });
      const body = typeof options.data === 'string' ? options.data : JSON.stringify(options.data ?? {});
      inFlight++;
      void settle(options, post(options.url, options.header ?? {}, body))
        .catch(() => undefined)
        .finally(() => inFlight--);
      return { abort() {} };
    },
    getStorageSync: (key: string) => (device.storage.has(key) ? device.storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => void device.storage.set(key, value),
    removeStorageSync: (key: string) => void device.storage.delete(key),
    showToast: (options: { title: string }) => void device.toasts.push(options.title),
    showLoading: () => undefined,
    hideLoading: () => undefined,
    stopPullDownRefresh: () => void device.pullDownStops++,
    showModal: (options: Callbacks<{ confirm: boolean; cancel: boolean }> & { title?: string; content?: string }) => {
      device.modals.push({ title: options.title, content: options.content });
      const answer = { confirm: device.modalAnswer.confirm, cancel: !device.modalAnswer.confirm };
      return settle(options, Promise.resolve(answer));
    },
    navigateTo: (options: Callbacks<unknown> & { url: string }) => {
      device.navigations.push({ kind: 'navigateTo', url: options.url });
      return settle(options, Promise.resolve({ errMsg: 'navigateTo:ok' }));
    },
    redirectTo: (options: Callbacks<unknown> & { url: string }) => {
      device.navigations.push({ kind: 'redirectTo', url: options.url });
      return settle(options, Promise.resolve({ errMsg: 'redirectTo:ok' }));
    },
    switchTab: (options: Callbacks<unknown> & { url: string }) => {
      device.navigations.push({ kind: 'switchTab', url: options.url });
      return settle(options, Promise.resolve({ errMsg: 'switchTab:ok' }));
    },
    reLaunch: (options: Callbacks<unknown> & { url: string }) => {
      device.navigations.push({ kind: 'reLaunch', url: options.url });
      return settle(options, Promise.resolve({ errMsg: 'reLaunch:ok' }));
    },
    getLocation: phoneApi(device, 'getLocation'),
    openLocation: phoneApi(device, 'openLocation'),
    makePhoneCall: phoneApi(device, 'makePhoneCall'),
    scanCode: phoneApi(device, 'scanCode'),
    requestSubscribeMessage: phoneApi(device, 'requestSubscribeMessage'),
    navigateBack: (options: Callbacks<unknown> = {}) => {
      device.navigations.push({ kind: 'navigateBack' });
      return settle(options, Promise.resolve({ errMsg: 'navigateBack:ok' }));
    },
  });
  return device;
}

function wxGlobal(): Record<string, unknown> {
  return (globalThis as unknown as { wx: Record<string, unknown> }).wx;
}

/** wx.getLocation answers with this position (GCJ-02), or fails the way a denied permission does. */
export function answerLocation(answer: { latitude: number; longitude: number } | 'denied'): void {
  if (!currentDevice) throw new Error('answerLocation needs installDevice() first');
  currentDevice.answers.getLocation =
    answer === 'denied' ? { fail: 'getLocation:fail auth deny' } : { ok: { ...answer, speed: 0, accuracy: 30 } };
}

/** The camera reads `content` (a QR's text) at the next wx.scanCode, or the user backs out. */
export function answerScan(content: string | 'cancel'): void {
  if (!currentDevice) throw new Error('answerScan needs installDevice() first');
  currentDevice.answers.scanCode =
    content === 'cancel' ? { fail: 'scanCode:fail cancel' } : { ok: { result: content, scanType: 'QR_CODE' } };
}

/** The user answers every template of the next wx.requestSubscribeMessage the same way. */
export function answerSubscribe(templateIds: string[], answer: 'accept' | 'reject'): void {
  if (!currentDevice) throw new Error('answerSubscribe needs installDevice() first');
  currentDevice.answers.requestSubscribeMessage = { ok: Object.fromEntries(templateIds.map((id) => [id, answer])) };
}

/**
 * A phone that records (wx.getRecorderManager) and recognises speech through WeChat's 同声传译
 * plugin (`requirePlugin('WechatSI')`): the next recording is recognised as `transcript`.
 * `null`: a phone without a recorder. Call before opening the page.
 */
export function answerSpeech(transcript: string | null): void {
  if (transcript === null) {
    delete wxGlobal().getRecorderManager;
    return;
  }
  wxGlobal().getRecorderManager = () => ({ start() {}, stop() {} });
  const manager = {
    onStop: (_result: { result?: string }) => undefined as void,
    onError: (_error: { msg?: string }) => undefined as void,
    start() {},
    stop() {
      setTimeout(() => manager.onStop({ result: transcript }), 0);
    },
  };
  (globalThis as { requirePlugin?: unknown }).requirePlugin = (name: string) => {
    if (name !== 'WechatSI') throw new Error(`plugin ${name} is not declared`);
    return { getRecordRecognitionManager: () => manager };
  };
}
