// Lint rules: typescript-eslint's recommended set, plus the architecture's import boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noImports = (patterns, message) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: patterns.filter((p) => typeof p === 'string'), message },
        ...patterns.filter((p) => typeof p !== 'string').map(({ regex }) => ({ regex, message })),
      ].filter((p) => p.regex || p.group.length > 0),
    },
  ],
});

// The repository's top-level e2e/, bench/ and tools/ folders, reached by climbing out of runtime/ or operator/.
const PRODUCT = [{ regex: '^(\\.\\./)+(e2e|bench|tools)/' }];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.weir/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // TypeScript checks names; the base rule does not know Node's globals.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Product code never depends on tests, the local cluster, dev tools or benchmarks.
    files: ['runtime/**/*.ts', 'operator/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: noImports(PRODUCT, 'product code never imports e2e, bench or tools'),
  },
  {
    // The connector SPI is small and stable: it depends on nothing of the runtime.
    files: ['runtime/api/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: noImports([...PRODUCT, '../*'], 'runtime/api imports nothing of the runtime'),
  },
  {
    // Connectors are plugins: they see the SPI and a Kafka client, nothing else of the runtime.
    files: ['runtime/connectors/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: noImports(
      [...PRODUCT, '../../*', '!../../api', '!../../api/*'],
      'connectors import only the SPI (runtime/api)',
    ),
  },
  {
    // Transforms and predicates are plugins too: they see the SPI only, as Kafka's connect-transforms.
    files: ['runtime/transforms/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: noImports(
      [...PRODUCT, '../*', '!../api', '!../api/*'],
      'transforms import only the SPI (runtime/api)',
    ),
  },
  {
    files: ['runtime/transforms/*/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: noImports(
      [...PRODUCT, '../../*', '!../../api', '!../../api/*'],
      'transforms import only the SPI (runtime/api)',
    ),
  },
  {
    // The operator's model is pure: desired objects from resources, no I/O.
    files: ['operator/model/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: noImports(
      [
        ...PRODUCT,
        'node:fs',
        'node:fs/*',
        'node:net',
        'node:http',
        'node:child_process',
        '@kubernetes/client-node',
      ],
      'operator/model does no I/O',
    ),
  },
);
