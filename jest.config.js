// Nest 12 packages are pure ESM; jest on Node 20 cannot require() them, so SWC transforms
// node_modules/@nestjs as well as our TypeScript (see ../shared/TOOLCHAIN.md).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@gmdesk/(core|db|contracts|config|delivery|dto|sdk|testing)$': '<rootDir>/libs/$1/src',
  '^@gmdesk/(api|gateway|worker|platform)$': '<rootDir>/apps/$1/src',
};

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|jose)/)'],
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  // jest-circus reads the timeout from the global config only; `testTimeout` inside a project is
  // ignored, so database hooks (clone a database, start an app) otherwise get 5 s on a busy box.
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.integration-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      testTimeout: 30000,
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/console/'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      testTimeout: 30000,
    },
    {
      // The staff console in a real browser (Debian's Chromium through playwright-core) against
      // a real gmdesk; the global setup also builds the console when its sources changed.
      ...shared,
      displayName: 'console',
      testMatch: ['<rootDir>/test/console/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/console/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      testTimeout: 30000,
    },
  ],
};
