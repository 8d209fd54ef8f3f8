import type { ParamsOf } from '../types.js';
import type { meta } from './meta.js';

/** The validated `with:` parameters of an `integration` check. */
export type Params = ParamsOf<typeof meta.schema>;
