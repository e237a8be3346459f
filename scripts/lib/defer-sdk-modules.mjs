// An esbuild plugin for the cloud function bundles: the parts of @cloudbase/node-sdk a function does
// not use on its cold path are still bundled (every SDK method keeps working), but evaluated only on
// their first use instead of when the SDK is loaded.
//
// Why: the SDK's entry requires all of its parts at load time — ai, auth, storage, analytics,
// cloudrun, notification, the data-model client, axios, form-data and the proxy agents — and has no
// supported way to load only the database and the open-API call. Evaluating those parts is most of
// its load time (about 170 ms of a fresh process here), which every cold start of every function
// would pay.
//
// How: in three SDK files, each listed `require(...)` line is replaced by an object that requires
// the module when one of its properties is first read. All uses of these modules in those files are
// property reads at call time (`(0, storage_1.uploadFile)(…)`), except `generateHTTPClient`, which
// the SDK calls while initialising to build `app.models`: that call is deferred too, and `models`
// becomes an object that builds the real client on first use.
//
// Safety: the SDK version is pinned exactly, and every replacement must match its line exactly
// once — a changed SDK fails the build here with the file and line to review, instead of being
// bundled half-deferred.
import { readFile } from 'node:fs/promises';

/** Loads a module on the first property read. `__esModule` is answered without loading, as true. */
const LAZY_MODULE = `function __wxbankLazyModule(load) {
  let loaded;
  const real = () => (loaded === undefined ? (loaded = load()) : loaded);
  return new Proxy({}, {
    get: (_, key) => (key === '__esModule' ? true : real()[key]),
    has: (_, key) => key in real(),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
`;

/** An object built by \`build()\` on the first property read (the data-model client). */
const LAZY_OBJECT = `function __wxbankLazyObject(build) {
  let built;
  const real = () => (built === undefined ? (built = build()) : built);
  return new Proxy({}, {
    get: (_, key) => real()[key],
    has: (_, key) => key in real(),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
`;

const lazy = (name, specifier, wrap = '') =>
  `const ${name} = __wxbankLazyModule(() => ${wrap ? `${wrap}(require("${specifier}"))` : `require("${specifier}")`});`;

/** file (relative to the package's dist/) → [exact line, replacement] */
const REWRITES = {
  'cloudbase.js': [
    ['const axios_1 = __importDefault(require("axios"));', lazy('axios_1', 'axios', '__importDefault')],
    [
      'const wx_cloud_client_sdk_1 = __importDefault(require("@cloudbase/wx-cloud-client-sdk"));',
      `${LAZY_OBJECT}const wx_cloud_client_sdk_1 = { default: {
  generateHTTPClient: (...args) => __wxbankLazyObject(() => __importDefault(require("@cloudbase/wx-cloud-client-sdk")).default.generateHTTPClient(...args)),
  generateMySQLClient: (...args) => __importDefault(require("@cloudbase/wx-cloud-client-sdk")).default.generateMySQLClient(...args),
} };`,
    ],
    ['const auth_1 = require("./auth");', lazy('auth_1', './auth')],
    ['const cloudrun_1 = require("./cloudrun");', lazy('cloudrun_1', './cloudrun')],
    ['const storage_1 = require("./storage");', lazy('storage_1', './storage')],
    ['const analytics_1 = require("./analytics");', lazy('analytics_1', './analytics')],
    ['const ai_1 = require("./ai");', lazy('ai_1', './ai')],
    ['const notification_1 = require("./notification");', lazy('notification_1', './notification')],
  ],
  'utils/metadata.js': [
    ['const axios_1 = __importDefault(require("axios"));', lazy('axios_1', 'axios', '__importDefault')],
  ],
  'utils/request-core.js': [
    ['const https_proxy_agent_1 = require("https-proxy-agent");', lazy('https_proxy_agent_1', 'https-proxy-agent')],
    ['const http_proxy_agent_1 = require("http-proxy-agent");', lazy('http_proxy_agent_1', 'http-proxy-agent')],
    ['const form_data_1 = __importDefault(require("form-data"));', lazy('form_data_1', 'form-data', '__importDefault')],
  ],
};

export const DEFERRED_SDK_MODULES = Object.values(REWRITES)
  .flat()
  .map(([line]) => /require\("([^"]+)"\)/.exec(line)[1]);

export function deferSdkModules() {
  return {
    name: 'defer-cloudbase-sdk-modules',
    setup(build) {
      build.onLoad({ filter: /@cloudbase[\\/]node-sdk[\\/]dist[\\/].*\.js$/ }, async (args) => {
        const relative = args.path.replace(/\\/g, '/').split('/@cloudbase/node-sdk/dist/')[1];
        const rewrites = REWRITES[relative];
        if (!rewrites) return undefined;
        let source = await readFile(args.path, 'utf8');
        for (const [line, replacement] of rewrites) {
          const at = source.indexOf(line);
          if (at < 0 || source.indexOf(line, at + 1) >= 0) {
            throw new Error(
              `@cloudbase/node-sdk changed: expected exactly one "${line}" in dist/${relative} — review scripts/lib/defer-sdk-modules.mjs`,
            );
          }
          source = source.replace(line, replacement);
        }
        return { contents: `${LAZY_MODULE}${source}`, loader: 'js' };
      });
    },
  };
}
