// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.data/**',
      'coverage/**',
      'bench/results/**',
      '*.config.js',
      'eslint.config.mjs',
      'test/support/*.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.jest },
      parserOptions: {
        projectService: {
          // Node-side files of the console that belong to no tsconfig project.
          allowDefaultProject: [
            'apps/console/vite.config.mts',
            'apps/console/scripts/*.mjs',
            'tools/*.mjs',
          ],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'object-shorthand': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@gmdesk/*/src', '@gmdesk/*/src/**'],
              message: 'Import a lib through its index (@gmdesk/<lib>).',
            },
            {
              group: ['**/apps/*/src/**', '../../apps/**'],
              message: 'Apps do not import each other; only apps/platform composes them.',
            },
          ],
        },
      ],
    },
  },
  {
    // The layer rules (STYLE §2.3, §12): TypeORM stays in repositories, entities, migrations and libs/db.
    files: ['apps/**/*.ts', 'libs/core/src/**/*.ts'],
    ignores: [
      '**/*.repository.ts',
      '**/*.entity.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      'libs/core/src/runtime.module.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'typeorm',
              message: 'Only repositories, entities, migrations and libs/db use TypeORM.',
              allowTypeImports: true,
            },
          ],
          patterns: [
            {
              group: ['@gmdesk/*/src', '@gmdesk/*/src/**'],
              message: 'Import a lib through its index (@gmdesk/<lib>).',
            },
            {
              group: ['**/apps/*/src/**', '../../apps/**'],
              message: 'Apps do not import each other; only apps/platform composes them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'libs/core/src/**/*.ts',
      'libs/db/src/**/*.ts',
      'libs/contracts/src/**/*.ts',
      'libs/config/src/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@nestjs/websockets', message: 'No transport code in libs.' },
            { name: 'socket.io', message: 'No transport code in libs.' },
            { name: 'express', message: 'No transport code in libs.' },
            { name: '@gmdesk/api', message: 'Libs never import apps.' },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/*/src/**/*.ts'],
    ignores: ['apps/platform/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@gmdesk/api', message: 'Only apps/platform composes apps.' },
            { name: '@gmdesk/gateway', message: 'Only apps/platform composes apps.' },
            { name: '@gmdesk/worker', message: 'Only apps/platform composes apps.' },
            { name: '@gmdesk/platform', message: 'Only apps/platform composes apps.' },
          ],
          patterns: [
            {
              group: ['@gmdesk/*/src', '@gmdesk/*/src/**'],
              message: 'Import a lib through its index.',
            },
          ],
        },
      ],
    },
  },
  {
    // Transactions go through TransactionRunner (libs/db), which refuses pool queries from inside
    // them; a direct DataSource/EntityManager.transaction() would bypass that guard.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      'libs/db/src/**/*.ts',
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.e2e-spec.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message: 'Use TransactionRunner.run from @gmdesk/db (it guards against pool queries).',
        },
      ],
    },
  },
  {
    // Jest's asymmetric matchers (expect.any, expect.arrayContaining) are typed `any`, and response
    // bodies are untyped JSON: in tests the unsafe-any rules flag the idiom, not a bug.
    files: ['**/*.spec.ts', '**/*.integration-spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Plain CommonJS (bench/lib/intake/sql-trace.cjs, preloaded into a built gmdesk with
    // `node --require`): outside the TypeScript project, so linted without type information.
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The staff console (STYLE §14): browser code, React hooks rules, and text is text.
    files: ['apps/console/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
    languageOptions: {
      globals: { ...globals.browser },
    },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message:
            'Player text is rendered as text: no dangerouslySetInnerHTML (use <PlayerText>).',
        },
        {
          selector:
            'AssignmentExpression > MemberExpression[property.name=/^(innerHTML|outerHTML)$/]',
          message: 'No HTML from strings in the console.',
        },
        {
          selector:
            'CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln|createContextualFragment)$/]',
          message: 'No HTML from strings in the console.',
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'localStorage', message: 'Tokens and player data never go to web storage.' },
        { name: 'sessionStorage', message: 'Tokens and player data never go to web storage.' },
        { name: 'eval', message: 'The CSP forbids eval.' },
      ],
    },
  },
);
