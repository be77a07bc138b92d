/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // The wasm schema engine's bindings are an ES module; jest's module system needs them as CJS.
    '^.+schema-engine-wasm/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  // The generated Prisma client imports its siblings with .js suffixes, as ESM-style TypeScript does.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: ['/node_modules/(?!@prisma/schema-engine-wasm/)'],
  globalSetup: '<rootDir>/test/globalSetup.ts',
  testTimeout: 30000,
  maxWorkers: 2,
};
