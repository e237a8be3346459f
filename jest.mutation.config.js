/**
 * The jest configuration `npm run mutation` (Stryker) runs: the server tests that exercise the
 * mutated modules (ledger, verification, runtime, masking, redaction) — not the whole suite, whose
 * full run every mutant covered outside a test (in a beforeAll) would pay — and without the global
 * setup that packs vant for the page tests.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config reading the other
const base = require('./jest.config');

const server = base.projects.find((project) => project.displayName === 'server');

const SUITES = [
  'ledger-*',
  'host-ledger',
  'host-verify',
  'host-user',
  'host-cards',
  'identity-rules',
  'bad-input',
  'sensitive-data',
  'assistant-chat',
  'assistant-seams',
];

module.exports = {
  ...server,
  testMatch: SUITES.map((name) => `<rootDir>/test/server/${name}.test.ts`),
  testTimeout: 60_000,
};
