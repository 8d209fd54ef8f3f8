/** Milliseconds per duration unit accepted in suites. */
const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * Parses a suite duration: `"500ms"`, `"10s"`, `"1.5m"`, or a number of milliseconds. Returns
 * undefined for anything else (the schema has already said what is accepted).
 */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)$/.exec(value);
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNITS[match[2] ?? ''] ?? Number.NaN);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}
