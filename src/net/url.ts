/** A URL shortened for a summary line: its path, with the query hidden (it may hold ids or tokens). */
export function pathLabel(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return url;
  }
}
