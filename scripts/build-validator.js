// Part of `npm run build`, after tsc: writes the registry's suite validator as ajv standalone code
// next to dist/suite/schema.js, so `payready validate` does not compile the suite schema at every
// start. Generated from the built code, never committed (dist/ is ignored).
import { writeFileSync } from 'node:fs';

const { PREBUILT_VALIDATOR, prebuiltValidatorSource } = await import('../dist/suite/schema.js');
writeFileSync(new URL(`../dist/suite/${PREBUILT_VALIDATOR}`, import.meta.url), await prebuiltValidatorSource());
