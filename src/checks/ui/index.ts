import { defineCheck } from '../types.js';
import { messages } from './messages.js';
import { meta } from './meta.js';
import { run } from './run.js';

export default defineCheck({ ...meta, messages, run });
