// Lint, including the import boundaries of ../STYLE-style architecture (see README "Architecture").
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const MODEL_RUNTIMES = ['onnxruntime-web', 'onnxruntime-web/*', '@mediapipe/tasks-vision'];
const pattern = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['.output/**', '.wxt/**', 'node_modules/**', 'out/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(MODEL_RUNTIMES, 'Only lib/models imports the model runtimes.'),
            pattern(['dexie', 'dexie/*'], 'Only lib/db imports Dexie.'),
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js'],
    // Scripts also hold functions that Playwright runs inside pages.
    languageOptions: { globals: { ...globals.node, ...globals.browser, chrome: 'readonly' } },
  },
  {
    // lib/db is the one place that talks to IndexedDB through Dexie.
    files: ['lib/db/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [pattern(MODEL_RUNTIMES, 'Only lib/models imports the model runtimes.')] }],
    },
  },
  {
    // lib/models is the one place that imports the model runtimes (onnxruntime-web, tasks-vision).
    files: ['lib/models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [pattern(['dexie', 'dexie/*'], 'Only lib/db imports Dexie.')] }],
    },
  },
  {
    // The engine is pure maths over buffers: no browser, no extension, no UI.
    files: ['lib/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['wxt', 'wxt/*', 'react', 'react-dom', 'react-dom/*', ...MODEL_RUNTIMES, 'dexie'], 'lib/engine imports nothing from the browser world.'),
            pattern(['**/messaging/**', '**/worker/**', '**/models/**', '**/db/**', '**/page/**', '**/background/**', '@/components/**', '@/entrypoints/**'], 'lib/engine depends on nothing outside lib/engine.'),
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'OffscreenCanvas', 'createImageBitmap', 'ImageData', 'chrome', 'browser', 'fetch', 'navigator'],
    },
  },
  {
    // Views and content scripts talk to the background by message; they never load models, the DB or the worker.
    files: ['components/**/*.{ts,tsx}', 'entrypoints/*.content/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern([...MODEL_RUNTIMES, 'dexie', '@/lib/models/**', '@/lib/db/**', '@/lib/worker/**', '**/lib/models/**', '**/lib/db/**', '**/lib/worker/**'], 'UI and content scripts reach models, the DB and the worker only through messages.'),
          ],
        },
      ],
    },
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['wxt/browser', '@/lib/messaging/runtime', '@/lib/models/**', '@/lib/db/**', '@/lib/worker/**', 'dexie', ...MODEL_RUNTIMES], 'Components take props and call callbacks; they never call browser.* or the DB.'),
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
