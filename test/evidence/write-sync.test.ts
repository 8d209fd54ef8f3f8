import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonl, removeTemporariesSync, tempPathFor, writeFileAtomicSync } from '../../src/evidence/write.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'payready-write-'));
  dirs.push(d);
  return d;
}

/** What a process ending the hard way (issue 12) leaves behind: synchronous writes, nothing half-done. */
describe('[signals/hard-deadline] writes for a process about to end', () => {
  it('salvageSync puts the interaction log in place, cut after its last whole line, with no temporary file left', async () => {
    const d = dir();
    const path = join(d, 'interactions.jsonl');
    const log = await openJsonl(path);
    for (let i = 0; i < 3; i++) log.write(JSON.stringify({ i }));
    // Wait for the batch to reach the temporary file (it is flushed within 100 ms, whatever the machine's load).
    const lines = (): number => readdirSync(d).reduce((n, f) => n + readFileSync(join(d, f), 'utf8').split('\n').length - 1, 0);
    for (let i = 0; i < 500 && lines() < 3; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const [temp] = readdirSync(d);
    // A stream stopped mid-write: half a line at the end of the temporary file.
    appendFileSync(join(d, temp!), '{"i":3,"half');
    log.salvageSync();
    expect(readFileSync(path, 'utf8')).toBe('{"i":0}\n{"i":1}\n{"i":2}\n');
    expect(readdirSync(d)).toEqual(['interactions.jsonl']);
    // After a salvage the graceful path's commit finds nothing to do twice.
    log.salvageSync();
    expect(readFileSync(path, 'utf8')).toBe('{"i":0}\n{"i":1}\n{"i":2}\n');
  });

  it('writeFileAtomicSync replaces a regular file, creates a missing one, and leaves a FIFO alone', () => {
    const d = dir();
    writeFileAtomicSync(join(d, 'new', 'report.json'), '{"a":1}\n');
    expect(readFileSync(join(d, 'new', 'report.json'), 'utf8')).toBe('{"a":1}\n');
    writeFileSync(join(d, 'old.json'), 'old');
    writeFileAtomicSync(join(d, 'old.json'), 'new');
    expect(readFileSync(join(d, 'old.json'), 'utf8')).toBe('new');
    const fifo = join(d, 'fifo');
    execFileSync('mkfifo', [fifo]);
    writeFileAtomicSync(fifo, 'x');
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(d).sort()).toEqual(['fifo', 'new', 'old.json']);
  });

  it('removeTemporariesSync removes temporary files a write cut short left behind', () => {
    const d = dir();
    const temp = tempPathFor(join(d, 'report.html'));
    writeFileSync(temp, '<html>half');
    removeTemporariesSync();
    expect(existsSync(temp)).toBe(false);
  });
});
