import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    // build output, data, and npm run mutation's sandbox and reports
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      '.data/',
      'miniprogram/miniprogram_npm/',
      'test-results/',
      '.stryker-tmp/',
      'reports/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message:
            "use `import * as z from 'zod'`: the named `z` keeps all of zod (every locale) in each function bundle; the namespace import lets esbuild drop what is unused",
        },
      ],
    },
  },
  {
    // The domain is pure TypeScript: no platform SDKs, no storage drivers, no HTTP.
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@cloudbase/*', 'better-sqlite3', 'zod'],
              message: 'domain code stays free of SDKs and adapters',
            },
            {
              group: ['node:http', 'node:https', 'http', 'https', 'node:fs', 'fs', 'node:net', 'net'],
              message: 'domain code does no I/O of its own',
            },
            {
              group: ['**/adapters/**', '**/runtime/**', '**/host/**', '**/functions/**'],
              message: 'the domain depends on ports, not on outer layers',
            },
          ],
        },
      ],
    },
  },
  {
    // The mini program may use only types from typings/: files outside miniprogramRoot are not uploaded.
    files: ['miniprogram/**/*.ts'],
    languageOptions: {
      globals: {
        wx: 'readonly',
        getApp: 'readonly',
        getCurrentPages: 'readonly',
        Component: 'readonly',
        App: 'readonly',
        Page: 'readonly',
        Behavior: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/cloudfunctions/**'], message: 'pages talk to the backend through services/' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
);
