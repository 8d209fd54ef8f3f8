// Part of `npm run build`, after tsc: writes the registry's suite validator and its check types'
// parameter validators as ajv standalone code next to dist/suite/schema.js, so neither `payready
// validate` nor `payready run` compiles a schema at every start. Generated from the built code, never committed (dist/ is ignored).
import { writeFileSync } from 'node:fs';

const { PREBUILT_VALIDATOR, PREBUILT_PARAMS_VALIDATORS, prebuiltValidatorSource, prebuiltParamsSource } = await import('../dist/suite/schema.js');
writeFileSync(new URL(`../dist/suite/${PREBUILT_VALIDATOR}`, import.meta.url), await prebuiltValidatorSource());
writeFileSync(new URL(`../dist/suite/${PREBUILT_PARAMS_VALIDATORS}`, import.meta.url), await prebuiltParamsSource());
