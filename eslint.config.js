import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * A function's size, as ESLint's `max-lines-per-function` counts it (blank and comment-only lines left out), with one
 * exception: the factories that build an area's router or a service (`…Routes`, `…Area`, `…Service`, and the few named
 * in `factories`). A factory is a list of small handlers or use cases sharing their dependencies; its length is the
 * number of routes or use cases, not the complexity of one. Every function inside a factory is still measured.
 */
const functionSize = {
  meta: {
    type: 'suggestion',
    schema: [{ type: 'object', properties: { max: { type: 'number' }, factories: { type: 'string' } } }],
  },
  create(context) {
    const { max, factories } = context.options[0];
    const factory = new RegExp(factories);
    const code = context.sourceCode;
    const commentLines = new Set(
      code
        .getAllComments()
        .flatMap((c) => Array.from({ length: c.loc.end.line - c.loc.start.line + 1 }, (_, i) => c.loc.start.line + i)),
    );
    const check = (node) => {
      const name = node.id?.name ?? (node.parent?.type === 'VariableDeclarator' ? node.parent.id.name : undefined);
      if (name && factory.test(name)) return;
      let lines = 0;
      for (let line = node.loc.start.line; line <= node.loc.end.line; line += 1) {
        const text = code.lines[line - 1].trim();
        if (text !== '' && !(commentLines.has(line) && /^(\/\/|\/\*|\*)/.test(text))) lines += 1;
      }
      if (lines > max)
        context.report({
          node,
          message: `${name ?? 'Cette fonction'} : ${lines} lignes, ${max} au plus ; découpez-la par responsabilité.`,
        });
    };
    return { FunctionDeclaration: check, FunctionExpression: check, ArrowFunctionExpression: check };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'public/', 'test-results/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      // French text wants no-break spaces (U+00A0 before « : », U+202F before « ; ? ! » and inside « »): allowed in
      // strings, template literals and regular expressions, still refused in code and comments.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true }],
    },
  },
  { files: ['src/cli/**', 'bench/**', 'test/run.ts'], rules: { 'no-console': 'off' } },
  // Size of the application's modules and functions (tests and benchmarks are lists of cases: not measured).
  {
    files: ['src/**/*.ts'],
    plugins: { size: { rules: { 'function-lines': functionSize } } },
    rules: {
      'max-lines': ['error', { max: 250, skipBlankLines: true, skipComments: true }],
      'size/function-lines': ['error', { max: 60, factories: '(Routes|Area|Service|^stepRules|^requestTransitions)$' }],
    },
  },
);
