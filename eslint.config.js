import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'node_modules',
      'test-results',
      'playwright-report',
      'public',
      'bench-results',
      // Scratch (gitignored): screenshots, cli/bench-inline-ab.ts's baseline checkout and page.
      '.tmp',
    ],
  },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.worker } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.tsx', 'src/app/**/*.ts', 'src/panels/**/*.ts', 'src/store/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // ml/ and data/ run in the worker, Node and the CLI: never import UI layers.
    files: ['src/ml/**/*.ts', 'src/data/**/*.ts', 'src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/app/*', '**/panels/*', '**/store/*', 'react', 'react-dom', 'zustand'] },
      ],
    },
  },
  {
    // zustand only through src/store; tfjs never on the UI thread.
    files: ['src/app/**/*.{ts,tsx}', 'src/panels/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['zustand', 'zustand/*', '@tensorflow/*', '**/ml/tf'] },
      ],
    },
  },
  {
    files: ['cli/**/*.{ts,mjs}', 'e2e/**/*.ts', '*.config.{ts,js}', 'src/**/*.test.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
