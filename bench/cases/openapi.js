// The Adyen Checkout v71 OpenAPI 3.1 document (889 KB, 146 response examples): time to load it
// and to compile its schemas, each in a fresh process (the compile cache lives per process, as in
// a run). "one operation" is what a schema check pays the first time it validates against it.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT, median, round } from '../lib.js';

const DOC = fileURLToPath(new URL('../../fixtures/openapi/adyen-checkout-v71.openapi.json', import.meta.url));

const SCRIPT = `
const t0 = performance.now();
const { readFileSync } = await import('node:fs');
const { OpenApiDocument } = await import('./dist/schema/openapi.js');
const { deref } = await import('./dist/schema/convert.js');
const tModules = performance.now();
const doc = OpenApiDocument.parse(readFileSync(${JSON.stringify(DOC)}, 'utf8'));
const tLoad = performance.now();
const op = doc.byOperationId('post-payments');
doc.responseSchema(op, 200, 'application/json');
const tOne = performance.now();
let compiled = 0;
for (const o of doc.operations()) {
  for (const [status, r] of Object.entries(o.node.responses ?? {})) {
    for (const mediaType of Object.keys(deref(doc.doc, r)?.content ?? {})) if (doc.responseSchema(o, Number(status) || 500, mediaType).kind === 'schema') compiled++;
  }
  for (const mediaType of Object.keys(deref(doc.doc, o.node.requestBody)?.content ?? {})) if (doc.requestSchema(o, mediaType).kind === 'schema') compiled++;
}
const tAll = performance.now();
console.log(JSON.stringify({ modules: tModules - t0, load: tLoad - tModules, one: tOne - tLoad, all: tAll - tLoad, compiled }));
`;

export default async function openapi({ runs }) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr.slice(0, 500));
    samples.push(JSON.parse(result.stdout));
  }
  const pick = (key) => samples.map((s) => round(s[key], 1));
  const entry = (name, key) => ({ name, unit: 'ms', median: round(median(pick(key)), 1), samples: pick(key) });
  return [
    entry('Adyen v71: parse (889 KB JSON, first use)', 'load'),
    entry('Adyen v71: convert + compile one operation after parse (POST /payments 200)', 'one'),
    entry(`Adyen v71: convert + compile every request and response schema after parse (${samples[0].compiled} schemas)`, 'all'),
    entry('schema engine modules import (ajv, formats, yaml)', 'modules'),
  ];
}
