import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypeScript from 'eslint-config-next/typescript';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  ...nextVitals,
  ...nextTypeScript,
  globalIgnores(['.next/**', '.next-*/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', '.data/**', 'public/cli/**']),
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    // Type-aware rules: a promise is awaited, returned, caught, or deliberately let go with `void`.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    // Configuration is read in one place (lib/server/core/config.ts), parsed with zod.
    files: ['app/**', 'components/**', 'lib/**'],
    ignores: ['lib/server/core/config.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through lib/server/env.ts.' },
      ],
    },
  },
  {
    // Routes and pages enter the server through its front door only: the verbs of lib/server/dal
    // and the request helpers of lib/server/http (see "Layout" in README.md).
    files: ['app/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // By alias or by relative path (`../../lib/server/viewer`) alike.
              regex: '(^@/|(^|/))lib/server/(?!(dal|http)(/|$))',
              message: 'Routes and pages use the front door: lib/server/dal (verbs) and lib/server/http (request helpers).',
            },
            { group: ['@aws-sdk/*'], message: 'The AWS SDK is used only in lib/server/aws.' },
          ],
        },
      ],
    },
  },
  {
    // Server code and the AWS SDK never reach the browser bundle.
    files: ['components/**', 'lib/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^@/|(^|/))lib/server(/|$)', message: 'Server-only code cannot be imported here.' },
            { group: ['@aws-sdk/*'], message: 'The AWS SDK is used only in lib/server.' },
          ],
        },
      ],
    },
  },
  {
    // The `gatehouse` command is bundled into one file people run: it takes the portal's rules from
    // lib/shared (zod-free modules only; scripts/build-cli.ts refuses a bundle with server code or full
    // zod in it), never server code, and zod only in its tree-shakable build (zod/mini).
    files: ['cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zod', message: 'The command uses zod/mini: full zod would make every start of it slower.' },
            { name: 'server-only', message: 'Server-only code cannot be part of the command.' },
          ],
          patterns: [
            { regex: '(^|/)lib/server(/|$)', message: 'Server code cannot be part of the command: take the rules from lib/shared.' },
            { regex: '^zod/(v3|v4)(/classic)?$|^zod/v4/classic/', message: 'The command uses zod/mini, not full zod.' },
            { regex: '^(@/)?(app|components)(/|$)|(^|/)(app|components)/', message: 'The command shares only lib/shared with the portal.' },
            { group: ['@aws-sdk/*'], message: 'The command never calls AWS: the portal does.' },
          ],
        },
      ],
      // Inquirer's prompt hooks look like React's but are not: React's rules about them do not apply.
      'react-hooks/exhaustive-deps': 'off',
      'react-hooks/rules-of-hooks': 'off',
    },
  },
]);
