import { createHash } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { ajvFor, type Validator } from './ajv.js';
import { convertDocument, deref, resolvePointer, type Direction } from './convert.js';

type Node = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** One operation of a document. */
export interface Operation {
  /** Lower-case HTTP method. */
  method: string;
  /** Path template as written in the document, e.g. `/v1/payments/{id}`. */
  path: string;
  /** `operationId`, when the document gives one. */
  operationId?: string;
  /** The operation object (for its requestBody and responses). */
  node: Node;
}

/** The schema a body must follow, or why there is none. */
export type BodySchema =
  | { kind: 'schema'; validator: Validator; mediaType: string; where: string }
  | { kind: 'no-content'; where: string }
  | { kind: 'undocumented-status'; documented: string[] }
  | { kind: 'undocumented-media-type'; documented: string[]; where: string };

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function pointerSegment(key: string): string {
  return encodeURIComponent(key.replaceAll('~', '~0').replaceAll('/', '~1'));
}

/** `application/problem+json; charset=utf-8` -> `application/problem+json`. */
export function bareMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** True for application/json and every +json type. */
export function isJsonMediaType(mediaType: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json$/.test(mediaType);
}

/** A parsed OpenAPI 3.0/3.1 document whose schemas compile once and are shared by every check of the run. */
export class OpenApiDocument {
  private readonly converted = new Map<Direction, string>();
  private readonly validators = new Map<string, Validator>();
  /** OpenAPI version: '3.0' or '3.1'. */
  readonly version: '3.0' | '3.1';

  private constructor(
    /** The document as parsed. */
    readonly doc: Node,
    /** SHA-256 of its text: the cache key. */
    readonly hash: string,
  ) {
    const declared = typeof doc.openapi === 'string' ? doc.openapi : '';
    this.version = declared.startsWith('3.0') ? '3.0' : '3.1';
  }

  /** Parses JSON or YAML text; throws an Error whose message says what is wrong. */
  static parse(text: string): OpenApiDocument {
    const hash = createHash('sha256').update(text).digest('hex');
    const cached = documents.get(hash);
    if (cached) return cached;
    let doc: unknown;
    try {
      doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
    } catch (error) {
      throw new Error(`it is neither JSON nor YAML (${(error as Error).message.split('\n')[0] ?? ''})`);
    }
    if (!isNode(doc)) throw new Error('it is not an object');
    if (typeof doc.swagger === 'string') throw new Error(`it is Swagger ${doc.swagger}; convert it to OpenAPI 3 (e.g. with swagger2openapi)`);
    if (typeof doc.openapi !== 'string' || !/^3\.[01]\./.test(doc.openapi)) throw new Error(`"openapi" is ${JSON.stringify(doc.openapi)}; expected 3.0.x or 3.1.x`);
    if (!isNode(doc.paths) && !isNode(doc.webhooks)) throw new Error('it has no "paths"');
    const parsed = new OpenApiDocument(doc, hash);
    documents.set(hash, parsed);
    return parsed;
  }

  /** Every operation, in document order. */
  operations(): Operation[] {
    const out: Operation[] = [];
    for (const [path, item] of Object.entries(isNode(this.doc.paths) ? this.doc.paths : {})) {
      const resolved = deref(this.doc, item);
      if (!isNode(resolved)) continue;
      for (const method of METHODS) {
        const node = resolved[method];
        if (isNode(node)) out.push({ method, path, node, ...(typeof node.operationId === 'string' ? { operationId: node.operationId } : {}) });
      }
    }
    return out;
  }

  /** The operation with this id. */
  byOperationId(id: string): Operation | undefined {
    return this.operations().find((op) => op.operationId === id);
  }

  /** The operation at this method and path template (parameter names need not match). */
  byTemplate(method: string, template: string): Operation | undefined {
    const shape = (path: string): string => path.replace(/\{[^}]*\}/g, '{}').replace(/\/$/, '');
    return this.operations().find((op) => op.method === method.toLowerCase() && shape(op.path) === shape(template));
  }

  /** The operation a concrete request path falls under, after the path of any `servers` URL. */
  byRequest(method: string, urlPath: string): Operation | undefined {
    const bases = this.serverPaths();
    let best: { op: Operation; literal: number } | undefined;
    for (const op of this.operations()) {
      if (op.method !== method.toLowerCase()) continue;
      for (const base of bases) {
        if (!urlPath.startsWith(base)) continue;
        const literal = matchTemplate(op.path, urlPath.slice(base.length) || '/');
        if (literal !== undefined && (!best || literal > best.literal)) best = { op, literal };
      }
    }
    return best?.op;
  }

  private serverPaths(): string[] {
    const servers = Array.isArray(this.doc.servers) ? this.doc.servers : [];
    const paths = servers.flatMap((server) => {
      if (!isNode(server) || typeof server.url !== 'string') return [];
      const url = server.url.replace(/\{[^}]*\}/g, 'x');
      try {
        return [new URL(url, 'https://base.invalid').pathname.replace(/\/$/, '')];
      } catch {
        return [];
      }
    });
    return [...new Set(['', ...paths])].sort((a, b) => b.length - a.length);
  }

  /** The response body schema for `status` and the response's media type. */
  responseSchema(op: Operation, status: number, mediaType: string): BodySchema {
    const responses = isNode(op.node.responses) ? op.node.responses : {};
    const key = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find((k) => k in responses);
    if (key === undefined) return { kind: 'undocumented-status', documented: Object.keys(responses) };
    let pointer = `#/paths/${pointerSegment(op.path)}/${op.method}/responses/${pointerSegment(key)}`;
    let response: unknown = responses[key];
    for (let hops = 0; hops < 10 && isNode(response) && typeof response.$ref === 'string'; hops++) {
      pointer = response.$ref;
      response = resolvePointer(this.doc, response.$ref);
    }
    return this.bodySchema(response, pointer, mediaType, 'response', `${op.method.toUpperCase()} ${op.path} ${key}`);
  }

  /** The request body schema of the operation for a media type. */
  requestSchema(op: Operation, mediaType: string): BodySchema {
    let pointer = `#/paths/${pointerSegment(op.path)}/${op.method}/requestBody`;
    let body: unknown = op.node.requestBody;
    for (let hops = 0; hops < 10 && isNode(body) && typeof body.$ref === 'string'; hops++) {
      pointer = body.$ref;
      body = resolvePointer(this.doc, body.$ref);
    }
    return this.bodySchema(body, pointer, mediaType, 'request', `${op.method.toUpperCase()} ${op.path} request body`);
  }

  private bodySchema(holder: unknown, pointer: string, mediaType: string, direction: Direction, where: string): BodySchema {
    const content = isNode(holder) && isNode(holder.content) ? holder.content : undefined;
    if (!content || Object.keys(content).length === 0) return { kind: 'no-content', where };
    const documented = Object.keys(content);
    const chosen = pickMediaType(documented, mediaType);
    if (chosen === undefined) return { kind: 'undocumented-media-type', documented, where };
    const media = content[chosen];
    if (!isNode(media) || media.schema === undefined) return { kind: 'no-content', where };
    return { kind: 'schema', validator: this.compile(`${pointer}/content/${pointerSegment(chosen)}/schema`, direction), mediaType: chosen, where };
  }

  /** Compiles (once) the schema at a pointer of the converted document. */
  compile(pointer: string, direction: Direction): Validator {
    const cacheKey = `${direction} ${pointer}`;
    let validator = this.validators.get(cacheKey);
    if (validator) return validator;
    const ajv = ajvFor('2020-12');
    let id = this.converted.get(direction);
    if (!id) {
      id = `urn:payready:openapi:${this.hash}:${direction}`;
      ajv.addSchema(convertDocument(this.doc, direction), id);
      this.converted.set(direction, id);
    }
    validator = ajv.getSchema(`${id}${pointer}`);
    if (!validator) throw new Error(`${pointer} does not name a schema in the document`);
    this.validators.set(cacheKey, validator);
    return validator;
  }
}

// One parse and one compile per document text for the whole process (so per run).
const documents = new Map<string, OpenApiDocument>();

/** Number of literal segments matched, or undefined when `path` does not fit `template`. */
function matchTemplate(template: string, path: string): number | undefined {
  const t = template.split('/').filter(Boolean);
  const p = path.split('/').filter(Boolean);
  if (t.length !== p.length) return undefined;
  let literal = 0;
  for (let i = 0; i < t.length; i++) {
    const part = t[i] ?? '';
    if (!part.includes('{')) {
      if (part !== p[i]) return undefined;
      literal++;
      continue;
    }
    const pattern = new RegExp(`^${part.split(/\{[^}]*\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);
    if (!pattern.test(p[i] ?? '')) return undefined;
  }
  return literal;
}

/** The documented media type that covers `actual`: exact, then `type/*`, then `*\/*`; strict, since a server sending another type than documented is a finding. */
function pickMediaType(documented: string[], actual: string): string | undefined {
  const lower = documented.map((d) => bareMediaType(d));
  const exact = lower.indexOf(actual);
  if (exact >= 0) return documented[exact];
  const range = lower.indexOf(`${actual.split('/')[0] ?? ''}/*`);
  if (range >= 0) return documented[range];
  const any = lower.indexOf('*/*');
  return any >= 0 ? documented[any] : undefined;
}
