// `npm run docs`: writes the docs generated from the code (scripts/docs/generate.ts says which) and
// the fault matrix of docs/reliability.md, measured by test/hardening/fault-matrix.test.ts.
// test/docs.test.ts and the fault-matrix test fail when a page is stale; no test writes one.
//
//   node scripts/docs.js               every generated page, and the fault matrix (about 10 s more)
//   node scripts/docs.js --no-matrix   every generated page; the committed fault matrix stays
//
// The generator is TypeScript importing src/ directly (no build needed); Vitest's module runner,
// a dev dependency already, loads it, and runs the fault-matrix test, which hands its table back
// as test metadata instead of writing a file.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVitest } from 'vitest/node';

const root = fileURLToPath(new URL('..', import.meta.url));
const MATRIX_TEST = 'test/hardening/fault-matrix.test.ts';
const MATRIX_PAGE = 'docs/reliability.md';
const withMatrix = !process.argv.includes('--no-matrix');

const vitest = await createVitest('test', { watch: false, reporters: ['dot'], root });
let failed = false;
try {
  const { renderDocs, strayPages } = await vitest.import(join(root, 'scripts/docs/generate.ts'));
  const { applyBlocks } = await vitest.import(join(root, 'scripts/docs/markdown.ts'));
  const pages = await renderDocs(root);
  if (withMatrix) {
    const table = await measureMatrix();
    if (table === undefined) failed = true;
    else pages.set(MATRIX_PAGE, applyBlocks(readFileSync(join(root, MATRIX_PAGE), 'utf8'), { 'fault-matrix': table }, MATRIX_PAGE));
  }
  let changed = 0;
  for (const [path, content] of pages) {
    const file = join(root, path);
    let before;
    try {
      before = readFileSync(file, 'utf8');
    } catch {
      before = undefined;
    }
    if (before === content) continue;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    process.stderr.write(`wrote ${path}\n`);
    changed++;
  }
  for (const path of strayPages(root, pages)) {
    rmSync(join(root, path));
    process.stderr.write(`removed ${path} (no such check type)\n`);
    changed++;
  }
  process.stderr.write(changed === 0 ? 'docs are up to date\n' : `${changed} file(s) changed\n`);
} finally {
  await vitest.close();
}
process.exitCode = failed ? 1 : 0;

/**
 * Runs the fault-matrix test file and returns the table it measured, or undefined (saying why) when
 * a cell broke its requirement: a matrix that does not hold is a bug to fix, not a page to publish.
 * Its own comparison with the committed page is expected to fail while the page is stale.
 */
async function measureMatrix() {
  process.stderr.write(`measuring the fault matrix (${MATRIX_TEST})\n`);
  await vitest.start([MATRIX_TEST]);
  let table;
  const broken = [];
  for (const module of vitest.state.getTestModules()) {
    for (const test of module.children.allTests()) {
      const meta = test.meta();
      if (typeof meta.faultMatrix === 'string') table = meta.faultMatrix;
      else if (test.result().state !== 'passed') broken.push(test.fullName);
    }
  }
  if (broken.length > 0 || table === undefined) {
    process.stderr.write(broken.length > 0 ? `the fault matrix does not hold, ${MATRIX_PAGE} left as it is:\n  ${broken.join('\n  ')}\n` : `${MATRIX_TEST} handed back no table\n`);
    return undefined;
  }
  return table;
}
