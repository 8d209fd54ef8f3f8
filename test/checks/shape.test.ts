import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkTypeNames, loadCheckMeta, loadCheckType } from '../../src/checks/index.js';
import { placeholders } from '../../src/model/messages.js';

/**
 * Every check type is a folder of one shape (issue 13): metadata, messages table, run, index and
 * prose, parameters typed from the schema, and a messages table that is exactly what the code says.
 */
const checksDir = fileURLToPath(new URL('../../src/checks/', import.meta.url));
const SHAPE = ['index.ts', 'messages.ts', 'meta.ts', 'README.md', 'run.ts'];

/** Every .ts file of a type's folder, recursively, as text. */
function sources(dir: string): string {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .map((path) => (statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? readFileSync(path, 'utf8') : ''))
    .join('\n');
}

describe('check types are folders of one shape', () => {
  it('each type is its meta.ts plus messages and behaviour (run, prepare): loadCheckMeta (what validate loads) answers the same metadata', async () => {
    for (const name of checkTypeNames) {
      const { messages, run, prepare: _prepare, ...rest } = await loadCheckType(name);
      expect([typeof messages, typeof run]).toEqual(['object', 'function']);
      expect(await loadCheckMeta(name), name).toEqual(rest);
    }
  });

  it('src/checks holds the registered types, the shared helpers folder and the registry files, nothing else', () => {
    const folders = readdirSync(checksDir).filter((name) => statSync(join(checksDir, name)).isDirectory()).sort();
    expect(folders).toEqual([...checkTypeNames, 'shared'].sort());
    const files = readdirSync(checksDir).filter((name) => !statSync(join(checksDir, name)).isDirectory()).sort();
    expect(files).toEqual(['index.ts', 'types.ts']);
  });

  for (const name of checkTypeNames) {
    describe(name, () => {
      const dir = join(checksDir, name);

      it('has meta, messages, run, index and its prose', () => {
        const present = new Set(readdirSync(dir));
        for (const file of SHAPE) expect(present.has(file), `src/checks/${name}/${file}`).toBe(true);
        expect(readFileSync(join(dir, 'README.md'), 'utf8').trim().length).toBeGreaterThan(200);
      });

      it('is registered under its folder name, with a title and a messages table', async () => {
        const type = await loadCheckType(name);
        expect(type.name).toBe(name);
        expect(type.title.length).toBeGreaterThan(2);
        expect(Object.keys(type.messages).length).toBeGreaterThan(1);
      });

      it('every fail, warn and error message says what to do, ids and placeholders are camelCase', async () => {
        const type = await loadCheckType(name);
        for (const [id, message] of Object.entries(type.messages)) {
          expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/);
          const statuses: readonly string[] = typeof message.status === 'string' ? [message.status] : message.status;
          if (statuses.some((s) => s === 'fail' || s === 'warn' || s === 'error')) expect(message.fix, `${name}: message ${id} has no fix`).toBeTruthy();
          for (const key of placeholders(message.text)) expect(key).toMatch(/^[a-z][A-Za-z0-9]*$/);
        }
      });

      it('uses every message of its table (no dead entries) and no hand-written parameter interface', async () => {
        const type = await loadCheckType(name);
        const code = sources(dir).replace(/export const \w*[mM]essages = \{[\s\S]*?\} as const( satisfies Messages)?;/g, '');
        const unused = Object.keys(type.messages).filter((id) => !new RegExp(`['"\`]${id}['"\`]|\\b${id}:|\\.${id}\\b`).test(code));
        expect(unused, `${name}: messages never used by its code`).toEqual([]);
        expect(code).not.toMatch(/interface \w+Params\b/);
      });
    });
  }
});
