// ESLint: typescript-eslint's recommended rules, and Gatepost's own boundary rule
// (scripts/eslint-boundaries.js): a feature uses another feature only through its index.ts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from './scripts/eslint-boundaries.js';

export default tseslint.config(
  { ignores: ['node_modules/', 'public/', 'data/', 'screenshots/', 'test-results/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { gatepost: boundaries },
    rules: {
      'gatepost/feature-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Links are built from config.baseUrl (src/platform/web/links.ts): a request's Host header can be forged.
    files: ['src/**/*.ts'],
    ignores: ['src/platform/access/guard.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['host', 'hostname', 'protocol'].map((property) => ({
          object: 'request',
          property,
          message: 'Build links with absoluteLink(config.baseUrl, path) (src/platform/web/links.ts), never from the request.',
        })),
      ],
    },
  },
  {
    // Dialect-specific SQL lives in src/db/ (locks.ts, group-commit.ts): a feature never branches on the database.
    files: ['src/features/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['left', 'right'].flatMap((side) => [
          { selector: `BinaryExpression[${side}.name='dialect']`, message: 'Do not branch on the dialect in a feature: use a function from src/db/ (locks.ts, group-commit.ts) or add one there.' },
          {
            selector: `BinaryExpression[${side}.property.name='dialect']`,
            message: 'Do not branch on the dialect in a feature: use a function from src/db/ (locks.ts, group-commit.ts) or add one there.',
          },
        ]),
        {
          selector: "SwitchStatement[discriminant.name='dialect'], SwitchStatement[discriminant.property.name='dialect']",
          message: 'Do not branch on the dialect in a feature: use a function from src/db/.',
        },
        { selector: "CallExpression[callee.property.name='forUpdate']", message: 'Row locks live in src/db/locks.ts (lockRows, lockedOnPostgres, preparedLockedOnPostgres).' },
        { selector: 'TemplateElement[value.raw=/for\\s+update/i], Literal[value=/for\\s+update/i]', message: 'Row locks live in src/db/locks.ts: no raw "for update" in a feature.' },
        { selector: "ImportSpecifier[imported.name='groupCommit']", message: 'Use writeTransaction(db, dialect, work) from src/db/group-commit.ts.' },
      ],
    },
  },
  {
    // Migrations are written against the schema as it was then, not today's types (Kysely's own advice).
    files: ['src/db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/platform/web/scripts/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
