import { RULE_KEYWORD } from './ajv.js';

/** Which way a body travels: readOnly members belong to responses, writeOnly members to requests. */
export type Direction = 'request' | 'response';

type Node = Record<string, unknown>;

// Keywords whose value is one subschema, an array of them, or a map of them.
const ONE = ['additionalProperties', 'items', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems', 'additionalItems'];
const MANY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Reads `#/a/b` of `doc` (JSON Pointer, RFC 6901); undefined when absent or not local. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let current: unknown = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isNode(current) && !Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Follows `$ref`s (local ones) until a node without one; gives up after 20 hops (a cycle). */
export function deref(doc: unknown, node: unknown): unknown {
  let current = node;
  for (let hops = 0; hops < 20 && isNode(current) && typeof current.$ref === 'string'; hops++) current = resolvePointer(doc, current.$ref);
  return current;
}

/**
 * Turns the schemas of an OpenAPI 3.0 or 3.1 document into JSON Schema 2020-12 that ajv
 * validates, for one direction. The input is not changed; `$ref`s keep pointing into the same
 * (converted) document, so the result is added to ajv whole and compiled where it is used.
 */
export function convertDocument(doc: Node, direction: Direction): Node {
  const v30 = typeof doc.openapi === 'string' && doc.openapi.startsWith('3.0');
  const converter = new Converter(doc, direction, v30);
  return converter.walkDocument(structuredClone(doc));
}

class Converter {
  constructor(
    private readonly original: Node,
    private readonly direction: Direction,
    private readonly v30: boolean,
  ) {}

  /** Walks the non-schema parts of the document and converts every schema found under a `schema` key or `components.schemas`. */
  walkDocument(node: unknown, parentKey = '', depth = 0): Node {
    if (!isNode(node) && !Array.isArray(node)) return node as Node;
    if (Array.isArray(node)) {
      node.forEach((item, i) => (node[i] = this.walkDocument(item, parentKey, depth + 1)));
      return node as unknown as Node;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema' && isNode(value)) node[key] = this.schema(value);
      else if (key === 'schemas' && parentKey === 'components' && isNode(value)) {
        for (const [name, schema] of Object.entries(value)) value[name] = this.schema(schema);
      } else if (key === 'examples' || key === 'example') continue;
      else node[key] = this.walkDocument(value, key, depth + 1);
    }
    return node;
  }

  private schema(input: unknown): unknown {
    if (!isNode(input)) return input;
    let node: Node = input;
    for (const key of ONE) if (key in node) node[key] = Array.isArray(node[key]) ? (node[key] as unknown[]).map((s) => this.schema(s)) : this.schema(node[key]);
    for (const key of MANY) if (Array.isArray(node[key])) node[key] = (node[key] as unknown[]).map((s) => this.schema(s));
    for (const key of MAP) {
      const map = node[key];
      if (isNode(map)) for (const [name, s] of Object.entries(map)) map[name] = this.schema(s);
    }
    if (this.v30) node = this.openApi30(node);
    this.directional(node);
    return this.discriminator(node);
  }

  /** 3.0 only: `nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`. */
  private openApi30(node: Node): Node {
    for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
      if (node[flag] === true && typeof node[bound] === 'number') {
        node[flag] = node[bound];
        delete node[bound];
      } else if (typeof node[flag] === 'boolean') delete node[flag];
    }
    if (node.nullable !== true) return node;
    delete node.nullable;
    if (Array.isArray(node.enum) && !node.enum.includes(null)) node.enum = [...(node.enum as unknown[]), null];
    if (typeof node.type === 'string') {
      node.type = [node.type, 'null'];
      return node;
    }
    // `nullable` next to allOf/$ref (a common 3.0 idiom): the value may be null or match the rest.
    return { anyOf: [node, { type: 'null' }] };
  }

  /** The direction's forbidden members: readOnly ones in a request, writeOnly ones in a response. */
  private directional(node: Node): void {
    const properties = node.properties;
    if (!isNode(properties)) return;
    const forbidden = this.direction === 'request' ? 'readOnly' : 'writeOnly';
    const names = Object.keys(properties).filter((name) => {
      const own = properties[name];
      const target = deref(this.original, isNode(own) && typeof own.$ref === 'string' ? { $ref: own.$ref } : own);
      return (isNode(own) && own[forbidden] === true) || (isNode(target) && target[forbidden] === true);
    });
    if (names.length === 0) return;
    // Required-ness of such a member applies to the other direction only (OpenAPI 3.0 §4.7.25.2).
    if (Array.isArray(node.required)) node.required = node.required.filter((name) => !names.includes(String(name)));
    for (const name of names) properties[name] = { not: {}, [RULE_KEYWORD]: forbidden };
  }

  /**
   * A `discriminator` over `oneOf`/`anyOf` of `$ref`s picks the one schema named by the
   * property's value (explicit `mapping`, else the schema's name), instead of asking that exactly
   * one alternative matches: the errors then point into the schema the payload claims to be.
   */
  private discriminator(node: Node): Node {
    const disc = node.discriminator;
    const alternatives = (node.oneOf ?? node.anyOf) as unknown;
    if (!isNode(disc) || typeof disc.propertyName !== 'string' || !Array.isArray(alternatives)) return node;
    const refs = alternatives.map((alt) => (isNode(alt) && typeof alt.$ref === 'string' ? alt.$ref : undefined));
    if (refs.some((ref) => ref === undefined)) return node;
    const mapping = new Map<string, string>();
    if (isNode(disc.mapping)) {
      for (const [value, target] of Object.entries(disc.mapping)) {
        if (typeof target === 'string') mapping.set(value, target.startsWith('#') ? target : `#/components/schemas/${target}`);
      }
    }
    const mapped = new Set(mapping.values());
    for (const ref of refs as string[]) if (!mapped.has(ref)) mapping.set(ref.split('/').pop() ?? ref, ref);
    const property = disc.propertyName;
    const { oneOf: _oneOf, anyOf: _anyOf, discriminator: _disc, ...rest } = node;
    const branches = [...mapping].map(([value, ref]) => ({ if: { properties: { [property]: { const: value } }, required: [property] }, then: { $ref: ref } }));
    const allOf = Array.isArray(rest.allOf) ? (rest.allOf as unknown[]) : [];
    return { ...rest, allOf: [...allOf, { required: [property], properties: { [property]: { enum: [...mapping.keys()] } } }, ...branches] };
  }
}
