// ESLint (flat config), run by `npm test` through `npm run lint`. It enforces the house rules the
// compiler does not: no `any`, no promise left floating, type-only imports written as such, plus
// the correctness rules of eslint:recommended. tsc checks the types and dependency-cruiser
// (`npm run lint:deps`) the layer boundaries, so nothing here repeats them, and no formatting rule.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // fixtures/ holds test inputs that are deliberately broken or third-party (a leaky repository
    // for the secret scanner, a layering violation for the boundaries test); the rest is output.
    ignores: ['dist/', 'coverage/', 'fixtures/', 'payready-report/', 'bench/.work/', '.payready-tmp-*'],
  },

  // Correctness rules for every file: unused variables, unreachable code, duplicate keys, ...
  js.configs.recommended,
  {
    rules: {
      // Control characters in a regex are the point here: reporters and redaction strip terminal
      // escapes (\x1b, \x07) and C0 controls from text a server sent.
      'no-control-regex': 'off',
    },
  },

  {
    // bin/, bench/, scripts/ and this file are plain JavaScript for Node, outside tsconfig.json:
    // linted without type information.
    files: ['**/*.js'],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
    },
  },

  {
    files: ['**/*.ts'],
    // typescript-eslint's recommended set (no type information): it turns on no-explicit-any and
    // replaces the core rules TypeScript handles better (no-undef, no-unused-vars, ...).
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        // Type information for no-floating-promises, from the tsconfig.json that covers each file
        // (src, test, bench, vitest.config.ts) — the program `npm run typecheck` builds.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `any` switches the type checker off for everything it touches; write the type, or
      // `unknown` and narrow.
      '@typescript-eslint/no-explicit-any': 'error',
      // A promise nobody awaits loses its rejection (an unhandled rejection ends the process) and
      // races what follows. Await it; `void` only for deliberate fire-and-forget, with a comment.
      '@typescript-eslint/no-floating-promises': 'error',
      // `import type` erases the import, so a type-only import never loads the module at run time
      // (the registry's lazy loading depends on it). A mixed import marks its types inline, as the
      // code already does: `import { run, type Params } from ...`.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // A leading underscore names a value kept on purpose: a rest sibling left out of an object
      // (`const { secret: _secret, ...shown } = x`) or a parameter an interface requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
);
