/** Two projects: server code under node, pages under jsdom with miniprogram-simulate. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };
const common = {
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  globalSetup: '<rootDir>/test/global-setup.js',
  projects: [
    { ...common, displayName: 'server', testEnvironment: 'node', testMatch: ['<rootDir>/test/server/**/*.test.ts'] },
    { ...common, displayName: 'pages', testEnvironment: 'jsdom', testMatch: ['<rootDir>/test/pages/**/*.test.ts'] },
  ],
};
