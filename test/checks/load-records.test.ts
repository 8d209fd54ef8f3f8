import { describe, expect, it } from 'vitest';
import { RecordQueue, type LoadRecord } from '../../src/checks/load/records.js';

describe('RecordQueue (a load phase\'s requests waiting for the interaction log)', () => {
  it('records nothing until drained, then every request in the order it came, exact', () => {
    const recorded: LoadRecord[] = [];
    const queue = new RecordQueue(100_000, (r) => recorded.push(r));
    for (let i = 0; i < 10_000; i++) queue.add(1.7e12 + i + 0.123456789, i / 7, i % 3 === 0 ? undefined : 200 + (i % 5), i, i % 3 === 0 ? (i % 2 ? 'timeout' : 'reset') : undefined);
    expect(recorded).toHaveLength(0);
    expect(queue.size).toBe(10_000);
    queue.drain();
    expect(queue.size).toBe(0);
    expect(recorded).toHaveLength(10_000);
    recorded.forEach((r, i) => {
      const expected: LoadRecord = { startMs: 1.7e12 + i + 0.123456789, durationMs: i / 7, bytesIn: i };
      if (i % 3 !== 0) expected.status = 200 + (i % 5);
      else expected.error = i % 2 ? 'timeout' : 'reset';
      expect(r).toEqual(expected);
    });
  });

  it('keeps at most `capacity` waiting: past it the oldest is recorded at once, and the order holds', () => {
    const recorded: number[] = [];
    const queue = new RecordQueue(5000, (r) => recorded.push(r.bytesIn));
    for (let i = 0; i < 20_000; i++) {
      queue.add(i, 1, 200, i, undefined);
      expect(queue.size).toBe(Math.min(i + 1, 5000));
    }
    expect(recorded).toEqual(Array.from({ length: 15_000 }, (_, i) => i));
    queue.drain();
    expect(recorded).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
  });

  it('records a request added after the drain at once (an answer that comes in late)', () => {
    const recorded: number[] = [];
    const queue = new RecordQueue(10, (r) => recorded.push(r.bytesIn));
    queue.add(0, 1, 200, 1, undefined);
    queue.drain();
    queue.add(0, 1, 200, 2, undefined);
    expect(recorded).toEqual([1, 2]);
    expect(queue.size).toBe(0);
  });
});
