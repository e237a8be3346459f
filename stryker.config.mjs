// `npm run mutation`: mutation testing of the code where a one-line mistake costs money or leaks
// data — the ledger, verification, the runtime (identity, validation, envelope), masking and chat
// redaction. Not part of `npm test` (all of it takes hours on two cores: run one module with
// `npx stryker run --mutate '<file>'`); the kill rate per
// module is reported in reports/mutation/ and on the console.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', configFile: 'jest.mutation.config.js', enableFindRelatedTests: true },
  coverageAnalysis: 'perTest',
  // A mutant reached only while a module loads (a schema, a constant) would need the whole suite per
  // mutant (hours here): it is left out and counted as "ignored". One reached both at load and by
  // tests ("hybrid") still runs, against the tests that reach it.
  ignoreStatic: true,
  // Error and notice texts are copy, checked where a test names them; mutating each literal would
  // double the run for no money or data at stake.
  mutator: { excludedMutations: ['StringLiteral'] },
  mutate: [
    'server/domain/ledger/**/*.ts',
    'server/domain/verify/**/*.ts',
    'server/runtime/**/*.ts',
    'server/domain/mask.ts',
    'server/domain/assistant/redact.ts',
  ],
  // ts-jest compiles each file on its own (isolatedModules): no type checker in the loop.
  checkers: [],
  concurrency: 2,
  // over the mutant's usual test time: a mutant that loops for ever (a `while` made always true) is
  // a timeout, counted as detected, and should not hold a runner for a minute
  timeoutMS: 5_000,
  thresholds: { high: 90, low: 80, break: null },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'reports', '.data', 'test-results', 'miniprogram/miniprogram_npm', '.deploy'],
};
