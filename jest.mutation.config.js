/**
 * The jest configuration `npm run mutation` (Stryker) runs: the server tests that exercise the
 * mutated modules (ledger, verification, runtime, masking, redaction) test by test — not the whole
 * suite — and without the global setup that packs vant for the page tests.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS config reading the other
const base = require('./jest.config');

const server = base.projects.find((project) => project.displayName === 'server');

// Suites whose stories run in a beforeAll (ledger-properties, ledger-concurrency, sensitive-data,
// bad-input) or in child processes (ledger-crash) are left out: every mutant they reach outside a test would
// need a full reload per mutant, and a child process reports no coverage.
const SUITES = [
  'ledger-journal',
  'ledger-fees',
  'ledger-hardening',
  'ledger-rules',
  'ledger-checkpoint',
  'ledger-transactions',
  'ledger-messages',
  'host-qrcode',
  'host-ledger',
  'host-verify',
  'host-user',
  'host-cards',
  'identity-rules',
  'secret-rotation',
  'runtime-envelope',
  'runtime-environment',
  'staff-cloud',
  'branches-queue',
  'verify-rules',
  'assistant-chat',
  'assistant-redaction',
];

module.exports = {
  ...server,
  testMatch: SUITES.map((name) => `<rootDir>/test/server/${name}.test.ts`),
  testTimeout: 60_000,
};
