// `npm run docs`: regenerates the README sections derived from the registries (check types,
// sandbox faults). test/docs.test.ts fails when README.md is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { generatedSections, applySections } from '../dist/docs.js';

const file = new URL('../README.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = applySections(before, await generatedSections());
if (after !== before) writeFileSync(file, after);
process.stderr.write(after === before ? 'README.md is up to date\n' : 'README.md updated\n');
