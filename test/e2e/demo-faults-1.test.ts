import { describe } from 'vitest';
import { faultDemoTests } from './fault-demos.js';

describe('payready demo --fault (part 1 of 2)', () => faultDemoTests(0, 2));
