import { describe } from 'vitest';
import { faultDemoTests } from './fault-demos.js';

describe('payready demo --fault (part 2 of 2)', () => faultDemoTests(1, 2));
