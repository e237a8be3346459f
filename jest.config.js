/**
 * Projects: server code under node, pages under jsdom with miniprogram-simulate, and — only when
 * scripts/journeys.mjs asks (WXBANK_JOURNEYS=1) — browser journeys in chromium, run after the others
 * so the browser never competes with them for the cores.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const common = {
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

const journeys = {
  ...common,
  displayName: 'journeys',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/journeys/**/*.journey.ts'],
  globalSetup: '<rootDir>/test/journeys/global-setup.js',
};

module.exports = {
  globalSetup: '<rootDir>/test/global-setup.js',
  // jest-circus reads the test timeout from the global config only (a project's own is ignored):
  // a journey may take longer than the 5 s default, so journey runs get a minute.
  ...(process.env.WXBANK_JOURNEYS === '1' ? { testTimeout: 60_000 } : {}),
  projects: [
    { ...common, displayName: 'server', testEnvironment: 'node', testMatch: ['<rootDir>/test/server/**/*.test.ts'] },
    { ...common, displayName: 'pages', testEnvironment: 'jsdom', testMatch: ['<rootDir>/test/pages/**/*.test.ts'] },
    ...(process.env.WXBANK_JOURNEYS === '1' ? [journeys] : []),
  ],
};
