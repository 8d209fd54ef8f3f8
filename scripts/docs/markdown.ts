import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/*
 * Markdown helpers of the docs generator and of test/docs.test.ts: generated blocks, GitHub heading
 * anchors, and the relative links of a page. Nothing here writes a file.
 */

/** The text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` of `text`, or undefined. */
export function readBlock(text: string, name: string): string | undefined {
  const match = blockPattern(name).exec(text);
  return match ? match[2]!.replace(/\n$/, '') : undefined;
}

/** Replaces every named generated block of `text` (the page at `file`, for the error) with fresh content. */
export function applyBlocks(text: string, blocks: Readonly<Record<string, string>>, file: string): string {
  let out = text;
  for (const [name, body] of Object.entries(blocks)) {
    const pattern = blockPattern(name);
    if (!pattern.test(out)) throw new Error(`${file} has no <!-- generated:${name} --> block`);
    out = out.replace(pattern, (_all, open: string, _body: string, close: string) => `${open}${body}\n${close}`);
  }
  return out;
}

function blockPattern(name: string): RegExp {
  return new RegExp(`(<!-- generated:${name} -->\\n)([\\s\\S]*?)(<!-- /generated:${name} -->)`);
}

/** A table cell: no pipe or line break may end it early. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The text with its fenced code blocks blanked (line count kept), so links and headings in code do not count. */
export function withoutCode(text: string): string {
  let fence: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
      if (fence === undefined && marker) {
        fence = marker;
        return '';
      }
      if (fence !== undefined) {
        if (marker && marker.startsWith(fence[0]!) && marker.length >= fence.length && line.trim() === marker) fence = undefined;
        return '';
      }
      return line;
    })
    .join('\n');
}

/**
 * The anchors a page offers, as GitHub makes them: each heading's slug (the rendered text, lower
 * case, punctuation but `-` and `_` dropped, spaces as `-`; a repeated slug gets `-1`, `-2`...) and
 * every explicit `<a id="...">` / `<a name="...">`.
 */
export function anchorsOf(markdown: string): Set<string> {
  const text = withoutCode(markdown);
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of text.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = slugOf(heading!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const [, id] of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  return anchors;
}

/** GitHub's slug of a heading's markdown source. */
export function slugOf(heading: string): string {
  const rendered = heading
    .replace(/<[^>]*>/g, '') // inline HTML (an explicit anchor) renders as nothing
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link renders as its text
    .replace(/[`*]/g, ''); // code and emphasis markers
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** One relative link of a page. */
export interface Link {
  /** 1-based line of the link. */
  line: number;
  /** The target as written, e.g. `docs/ci.md#github-actions`. */
  target: string;
}

/** The relative links of a markdown page (inline links and images; URLs with a scheme and code are left out). */
export function relativeLinks(markdown: string): Link[] {
  const links: Link[] = [];
  withoutCode(markdown)
    .split('\n')
    .forEach((line, index) => {
      // Inline code may hold link-like text (`[x](y)` in an example): it is not a link.
      const prose = line.replace(/`[^`]*`/g, '');
      for (const [, raw] of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        const target = raw!;
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:...
        links.push({ line: index + 1, target });
      }
    });
  return links;
}

/**
 * What is wrong with each relative link of the page `file` (a path relative to `root`): a target
 * that does not exist, leaves the repository, or names an anchor its page does not have.
 */
export function brokenLinks(root: string, file: string): string[] {
  const problems: string[] = [];
  const text = readFileSync(join(root, file), 'utf8');
  for (const { line, target } of relativeLinks(text)) {
    const [path = '', anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)));
    const where = `${file}:${line}: ${target}`;
    if (resolved === '..' || resolved.startsWith(`..${sep}`) || relative(root, join(root, resolved)).startsWith('..')) {
      problems.push(`${where} leaves the repository`);
      continue;
    }
    if (!existsSync(join(root, resolved))) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (anchor === undefined || anchor === '') continue;
    if (statSync(join(root, resolved)).isDirectory() || !resolved.endsWith('.md')) {
      problems.push(`${where}: an anchor into something that is not a markdown page`);
      continue;
    }
    if (!anchorsOf(readFileSync(join(root, resolved), 'utf8')).has(decodeURIComponent(anchor))) problems.push(`${where}: ${resolved} has no heading or anchor "${anchor}"`);
  }
  return problems;
}
