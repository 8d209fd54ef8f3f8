import { defineCheck } from '../types.js';
import { messages } from './messages.js';
import { meta } from './meta.js';
import { prepare, run } from './run.js';

export default defineCheck({ ...meta, messages, run, prepare });
