import { it } from 'vitest';

/**
 * One test per row of a table, each named by `title(row)` so a failing row is reported by its own
 * name. (vitest's `it.each`/`it.for` put `$name` in quotes and shorten it past 40 characters.)
 */
export function table<R>(rows: readonly R[], title: (row: R) => string, body: (row: R) => Promise<void> | void): void {
  for (const row of rows) it(title(row), () => body(row));
}
