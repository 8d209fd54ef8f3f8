import type { CheckType, JsonSchema } from '../types.js';
import { GUIDELINE_ITEMS, sectionsOf } from '../../guidelines.js';

/** One documented parameter of a check type, derived from its schema. */
export interface ParamDoc {
  /** Parameter name (nested ones as `expect.status`). */
  name: string;
  /** Type in words: string, integer, list, map, one of a|b. */
  type: string;
  /** True when the suite must give it. */
  required: boolean;
  /** Default value, when the schema has one. */
  default?: unknown;
  /** Description from the schema. */
  description: string;
}

/** Flattens a `with:` schema into documented parameters (one level of nesting shown). */
export function describeParams(schema: JsonSchema, prefix = '', depth = 0): ParamDoc[] {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const docs: ParamDoc[] = [];
  for (const [name, prop] of Object.entries(properties)) {
    const full = `${prefix}${name}`;
    docs.push({
      name: full,
      type: typeWords(prop),
      required: required.has(name),
      ...(prop.default !== undefined ? { default: prop.default } : {}),
      description: String(prop.description ?? ''),
    });
    if (depth < 1 && prop.type === 'object' && prop.properties) docs.push(...describeParams(prop, `${full}.`, depth + 1));
  }
  return docs;
}

function typeWords(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join('|');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const parts = ((schema.anyOf ?? schema.oneOf) as JsonSchema[]).map(typeWords);
    return [...new Set(parts)].join(' or ');
  }
  const type = schema.type;
  if (Array.isArray(type)) return type.join(' or ');
  if (type === 'array') return `list of ${schema.items ? typeWords(schema.items as JsonSchema) : 'values'}`;
  if (type === 'object') return schema.properties ? 'object' : 'map';
  return typeof type === 'string' ? type : 'any';
}

/** Plain-text help for `payready checks <type>`. */
export function renderCheckHelp(type: CheckType): string {
  const lines = [`${type.name} — ${type.description}`, '', "Guideline items it can evidence (what proves: may name; without proves:, those of the check's section):"];
  for (const id of type.items) lines.push(`  ${id}  ${GUIDELINE_ITEMS.find((item) => item.id === id)?.text ?? ''}`.trimEnd());
  if (type.movesMoney) lines.push('Moves money: refused on a non-sandbox environment unless the suite sets allowLive: true.');
  else if (type.writesWhen) lines.push(`Sends write requests ${type.writesWhen}: refused on a non-sandbox environment unless the suite sets allowLive: true.`);
  lines.push('', 'Parameters (with:):');
  const params = describeParams(type.schema);
  const width = Math.max(...params.map((p) => p.name.length), 4);
  for (const p of params) {
    const facts = [p.type, p.required ? 'required' : '', p.default !== undefined ? `default ${JSON.stringify(p.default)}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${p.name.padEnd(width)}  ${facts}${p.description ? `\n  ${''.padEnd(width)}  ${p.description}` : ''}`);
  }
  if (type.values && Object.keys(type.values).length > 0) {
    lines.push('', 'Values for capture: (capture: { name: { from: <value path> } })');
    for (const [name, what] of Object.entries(type.values)) lines.push(`  ${name} — ${what}`);
  }
  if (type.example) {
    lines.push('', 'Example:', `  - id: my-${type.name}-check`, `    type: ${type.name}`, `    section: "${sectionsOf(type.items)[0] ?? '1.1'}"`, '    with:');
    lines.push(...yamlLines(type.example, 6));
  }
  return `${lines.join('\n')}\n`;
}

/** A tiny YAML rendering of an example (plain values only). */
export function yamlLines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (item !== null && typeof item === 'object') {
        const [first = '', ...rest] = yamlLines(item, indent + 2);
        return [`${pad}- ${first.trimStart()}`, ...rest];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      item !== null && typeof item === 'object' && (!Array.isArray(item) || item.length > 0) ? [`${pad}${quoteKey(key)}:`, ...yamlLines(item, indent + 2)] : [`${pad}${quoteKey(key)}: ${scalar(item)}`],
    );
  }
  return [`${pad}${scalar(value)}`];
}

function scalar(value: unknown): string {
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'string') return /^[\w./${}:-][\w ./${}:@-]*$/.test(value) && !/^(true|false|null|\d)/.test(value) && !value.includes(': ') ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function quoteKey(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
}
