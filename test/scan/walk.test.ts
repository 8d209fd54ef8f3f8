import { describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { walkFiles, ScanPathError, type WalkOptions } from '../../src/scan/walk.js';
import { tempDir } from '../support/temp.js';

function tree(files: Record<string, string>): string {
  const root = tempDir('payready-walk-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function names(patterns: string[], options: Partial<WalkOptions> & { baseDir: string }): Promise<string[]> {
  const out: string[] = [];
  for await (const file of walkFiles(patterns, { gitignore: true, ...options })) out.push(file.name);
  return out;
}

describe('the shared file walker', () => {
  const root = tree({
    '.git/HEAD': 'ref: refs/heads/main\n',
    '.gitignore': 'dist/\n*.log\n!keep.log\n',
    'app/.gitignore': 'generated/\n',
    'app/main.ts': '',
    'app/generated/api.ts': '',
    'app/debug.log': '',
    'app/keep.log': '',
    'dist/bundle.js': '',
    'node_modules/x/index.js': '',
    'logs/2026/a.log': '',
    'logs/2026/b.log.gz': '',
    'README.md': '',
  });

  it('walks sorted, honours nested .gitignore files and negations, never enters .git or node_modules', async () => {
    expect(await names(['.'], { baseDir: root })).toEqual(['.gitignore', 'README.md', 'app/.gitignore', 'app/keep.log', 'app/main.ts', 'logs/2026/b.log.gz']);
  });

  it('without gitignore it still skips .git and node_modules', async () => {
    expect(await names(['.'], { baseDir: root, gitignore: false })).toContain('dist/bundle.js');
    expect((await names(['.'], { baseDir: root, gitignore: false })).some((n) => n.startsWith('node_modules') || n.startsWith('.git/'))).toBe(false);
  });

  it('applies the repository .gitignore above a walked subfolder, unless that folder is itself ignored and named', async () => {
    expect(await names(['app'], { baseDir: root })).toEqual(['app/.gitignore', 'app/keep.log', 'app/main.ts']);
    expect(await names(['dist'], { baseDir: root })).toEqual(['dist/bundle.js']);
  });

  it('globs match below their static base; a named ignored file is scanned', async () => {
    expect(await names(['logs/**/*.log*'], { baseDir: root, gitignore: false })).toEqual(['logs/2026/a.log', 'logs/2026/b.log.gz']);
    expect(await names(['app/debug.log'], { baseDir: root })).toEqual(['app/debug.log']);
  });

  it('paths climb out of the base folder and keep the name as written; each file once', async () => {
    expect(await names(['../app', '../app/main.ts'], { baseDir: join(root, 'logs') })).toEqual(['../app/.gitignore', '../app/keep.log', '../app/main.ts']);
  });

  it('exclude globs match the shown name or the path below the root', async () => {
    expect(await names(['.'], { baseDir: root, exclude: ['**/*.log', 'README.md', 'logs/**'] })).toEqual(['.gitignore', 'app/.gitignore', 'app/main.ts']);
  });

  it('does not follow symbolic links inside folders (no loops)', async () => {
    const looped = tree({ 'a/file.txt': '' });
    symlinkSync(looped, join(looped, 'a', 'loop'));
    expect(await names(['.'], { baseDir: looped })).toEqual(['a/file.txt']);
  });

  it('a missing named path is a ScanPathError; a glob over a missing folder matches nothing', async () => {
    await expect(names(['nope'], { baseDir: root })).rejects.toBeInstanceOf(ScanPathError);
    await expect(names(['nope'], { baseDir: root })).rejects.toThrow('nope: no such file or folder');
    expect(await names(['nope/**/*.log'], { baseDir: root })).toEqual([]);
  });
});
