import { check, matcherSchema, type Matcher } from '../shared/assert.js';
import { assertion, describeFailure, show } from '../../model/operators.js';
import { errorBodyAssertions, errorBodySchema, errorFields, type ErrorBodySpec } from '../shared/error-body.js';
import { NO_SUCH_PATH, noSuchPath } from '../shared/no-such-path.js';
import { encodingAssertions, parseBody, roundTripAssertions, violationAssertions, type Exchange } from './body.js';
import { legacyCheck } from '../types.js';
import type { Artifact, Assertion, Finding, Outcome } from '../../model/outcome.js';
import { METHOD_WRITES_WHEN, methodWrites } from '../shared/writes.js';
import { NetError } from '../../net/errors.js';
import type { HttpResponse } from '../../net/http.js';
import { transcript, urlPath } from '../../net/transcript.js';
import { bareMediaType, type Operation, type OpenApiDocument } from '../../schema/openapi.js';
import { SourceError, loadJsonSchema, loadOpenApi } from '../../schema/load.js';
import type { Validator } from '../../schema/ajv.js';
import { toViolations, type Violation } from '../../schema/violations.js';
import { SINGLE_REFERENCE } from '../../model/patterns.js';
import { closest, plural } from '../../text.js';

/** The default non-ASCII text of a round trip: Latin-1, Latin Extended-A, CJK and an emoji (4 UTF-8 bytes). */
export const ROUND_TRIP_TEXT = 'Zoë Łukasz 李雷 🙂';

/** A response captured by an earlier check (`http` or `schema`: its `response` value). */
export interface CapturedResponse {
  /** HTTP status. */
  status: number;
  /** Headers (the content-type is read). */
  headers?: Record<string, string | string[]>;
  /** The body as the earlier check parsed it. */
  body?: unknown;
}

/** Parameters of the `schema` check type (mirrors `schema` below; descriptions there). */
export interface SchemaParams {
  /** Method of the check's own request. */
  method: string;
  /** URL of the check's own request. */
  url?: string;
  /** Request headers. */
  headers?: Record<string, string>;
  /** JSON request body. */
  json?: unknown;
  /** Raw request body. */
  body?: string;
  /** A captured response instead of a request. */
  response?: CapturedResponse;
  /** OpenAPI document (file or URL). */
  openapi?: string;
  /** Operation by id. */
  operationId?: string;
  /** Operation by path template (with `method`). */
  path?: string;
  /** JSON Schema, inline or file/URL. */
  jsonSchema?: unknown;
  /** Expected status. */
  status?: Matcher;
  /** Validate the request body too. */
  validateRequest: boolean;
  /** Require JSON in UTF-8. */
  utf8: boolean;
  /** Non-ASCII round trip. */
  roundTrip?: { path: string; value?: string; readBack: boolean };
  /** Require a clear error body. */
  problem?: ErrorBodySpec;
  /** Violations listed at most. */
  maxViolations: number;
}

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export default legacyCheck<SchemaParams>({
  name: 'schema',
  description: 'Response conformance to a JSON Schema or an OpenAPI 3.0/3.1 operation (and the request body we send); JSON content type, UTF-8 charset and bytes, a non-ASCII round trip; clear error bodies.',
  // JSON (1.3.a) in UTF-8 (1.3.b) and clear error bodies (6.2.a). Guidance a shopper can act on
  // (6.2.b) is the wording of a message, which an http expect or the ui check asserts.
  items: ['1.3.a', '1.3.b', '6.2.a'],
  writes: methodWrites,
  writesWhen: METHOD_WRITES_WHEN,
  schema: {
    type: 'object',
    additionalProperties: false,
    // Exactly one source of the response: the check's own request or a captured one.
    oneOf: [
      { required: ['url'], properties: { url: true } },
      { required: ['response'], properties: { response: true } },
    ],
    properties: {
      method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], default: 'GET', description: 'HTTP method of the check’s own request.' },
      url: { type: 'string', minLength: 1, description: 'URL of the check’s own request (or give `response`).' },
      headers: { ...stringMap, description: 'Request headers; credentials must come from ${secrets.x} or ${checks.id.capture}.' },
      json: { description: 'Request body sent as JSON (validated against the operation’s requestBody first).' },
      body: { type: 'string', description: 'Raw request body.' },
      response: {
        description: 'A response captured by an earlier check instead of a request: ${checks.<id>.response} (the `response` value of an `http` or `schema` check), or { status, headers, body }.',
        anyOf: [
          {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'integer', description: 'HTTP status.' }, headers: { type: 'object', description: 'Headers (content-type is read).' }, body: { description: 'The body, parsed JSON or text.' } },
          },
          // A whole-object capture is written as one reference; it is an object once resolved.
          { type: 'string', pattern: SINGLE_REFERENCE },
        ],
      },
      openapi: { type: 'string', minLength: 1, description: 'OpenAPI 3.0/3.1 document (JSON or YAML): a file relative to the suite, or an http(s) URL.' },
      operationId: { type: 'string', minLength: 1, description: 'The operation to validate against; default: found from method + `path`, or from the request URL.' },
      path: { type: 'string', pattern: '^/', description: 'Path template of the operation, e.g. /v1/payments/{id} (with `method`).' },
      jsonSchema: { type: ['object', 'boolean', 'string'], description: 'A JSON Schema (draft 2020-12 or draft-07, by its $schema) inline, or a file/URL; instead of `openapi`.' },
      status: { ...matcherSchema, description: 'Expected status; default below 400 (or 4xx/5xx with `problem`). The status picks the OpenAPI response schema.' },
      validateRequest: { type: 'boolean', default: true, description: 'Validate the JSON request body against the operation’s requestBody schema before sending it.' },
      utf8: { type: 'boolean', default: true, description: 'Require a JSON Content-Type whose charset is UTF-8 (explicit or by default) and a body that is valid UTF-8.' },
      roundTrip: {
        type: 'object',
        additionalProperties: false,
        required: ['path'],
        description: 'Send non-ASCII text at `path` of the JSON body and require it back byte for byte at the same path of the response.',
        properties: {
          path: { type: 'string', minLength: 1, description: 'JSON path (a.b[0].c) in the request body and the response.' },
          value: { type: 'string', minLength: 1, description: `Text to send (default "${ROUND_TRIP_TEXT}").` },
          readBack: { type: 'boolean', default: false, description: 'Also GET the Location of the response and require the text there.' },
        },
      },
      problem: errorBodySchema,
      maxViolations: { type: 'integer', minimum: 1, maximum: 1000, default: 50, description: 'Violations listed at most (the count is always exact).' },
    },
  },
  values: {
    status: 'HTTP status code',
    headers: 'response headers (lower-case names)',
    body: 'the body parsed as JSON, or its text',
    response: 'status, headers and body together (for another schema check)',
    violations: 'schema violations: pointer, rule, expected, actual, message',
  },
  example: {
    openapi: '${target.baseUrl}/openapi.json',
    method: 'GET',
    url: '${target.baseUrl}/v1/payments/${checks.payment-approve.paymentId}',
    headers: { Authorization: 'Bearer ${checks.oauth-token.token}' },
    status: 200,
  },

  async run(params, ctx): Promise<Outcome> {
    const method = params.method ?? 'GET';
    const label = params.url ? `${method} ${urlPath(params.url)}` : `the captured ${params.response?.status ?? ''} response`.replace('  ', ' ');
    const roundTripValue = params.roundTrip ? (params.roundTrip.value ?? ROUND_TRIP_TEXT) : undefined;
    const requestJson = params.roundTrip && roundTripValue !== undefined ? withValueAt(params.json ?? {}, params.roundTrip.path, roundTripValue) : params.json;

    // 1. What to validate against (a load or compile problem is the suite's, so `error`).
    let doc: OpenApiDocument | undefined;
    let operation: Operation | undefined;
    let jsonValidator: Validator | undefined;
    try {
      if (params.openapi) {
        doc = await loadOpenApi(params.openapi, ctx);
        operation = findOperation(doc, params, method);
      }
      if (params.jsonSchema !== undefined) jsonValidator = await loadJsonSchema(params.jsonSchema, ctx);
    } catch (error) {
      if (error instanceof SourceError) return { status: 'error', summary: `${label}: ${error.message}` };
      throw error;
    }

    // 2. Our own request body must follow the operation too: a body the provider's own document
    // rejects is the suite's mistake (cause `setup`), whatever the provider then answers.
    const rejected = doc && operation && params.url && requestJson !== undefined ? requestViolations(doc, operation, requestJson) : undefined;
    if (rejected && params.validateRequest !== false) {
      return {
        status: 'error',
        cause: 'setup',
        summary: `${label}: the request body the suite sends breaks ${rejected.where}: ${listed(rejected.violations)}: fix the suite`,
        assertions: violationAssertions(rejected.violations, params.maxViolations ?? 50, 'request'),
        values: { violations: rejected.violations },
      };
    }

    // 3. The response: our own request, or a captured one.
    const artifacts: Artifact[] = [];
    let exchange: Exchange;
    let allow: string | undefined;
    if (params.url) {
      let response: HttpResponse;
      try {
        response = await ctx.http.request({ method, url: params.url, headers: params.headers, json: requestJson, body: params.body });
      } catch (error) {
        if (error instanceof NetError) return { status: 'error', summary: `${label}: ${error.message}` };
        throw error;
      }
      artifacts.push({ name: 'transcript.http', mediaType: 'message/http', description: `${label} request and response`, data: transcript({ method, url: params.url, headers: params.headers, body: params.body ?? (requestJson !== undefined ? JSON.stringify(requestJson) : undefined) }, response) });
      exchange = { status: response.status, contentType: response.header('content-type'), bytes: response.body, location: response.header('location'), url: response.url };
      allow = response.header('allow');
    } else {
      // The parameter schema guarantees an object with a status here (a reference is resolved by now).
      exchange = capturedExchange(params.response as CapturedResponse);
    }

    const assertions: Assertion[] = [];
    const findings: Finding[] = [];
    const expectsError = params.problem !== undefined;
    const expected = params.status !== undefined ? check('status', exchange.status, params.status, { statusClass: true }) : [expectsError ? assertion('status', 'ge', 400, exchange.status) : assertion('status', 'lt', 400, exchange.status)];
    assertions.push(...expected);
    const parsed = parseBody(exchange);
    // An error check's headline is whether the error is clear, so its assertions come first.
    if (params.problem !== undefined) assertions.push(...errorBodyAssertions({ status: exchange.status, contentType: exchange.contentType, text: parsed.text }, params.problem));
    if (params.utf8 !== false) assertions.push(...encodingAssertions(exchange));
    // An error-body check judges a non-JSON body itself (and says how it is opaque). Otherwise a
    // body that does not parse fails, whatever else was asked: this check type is about JSON data.
    if (!parsed.ok && !expectsError && (doc || jsonValidator || params.roundTrip || parsed.text.trim() !== '')) {
      assertions.push(assertion('body', 'type', 'object', 'text', `the response body is not JSON (${parsed.error})`));
    }

    // 4. Conformance.
    let violations: Violation[] = [];
    if (parsed.ok && (doc || jsonValidator)) {
      let validator = jsonValidator;
      let where = 'the JSON Schema';
      if (doc && operation) {
        const schema = doc.responseSchema(operation, exchange.status, bareMediaType(exchange.contentType));
        if (schema.kind === 'schema') ({ validator, where } = schema);
        else if (schema.kind === 'undocumented-status') {
          assertions.push(assertion('status', 'in', schema.documented, String(exchange.status), `status ${exchange.status} is not documented for ${operation.method.toUpperCase()} ${operation.path} (documented: ${schema.documented.join(', ')})`));
        } else if (schema.kind === 'undocumented-media-type') {
          assertions.push(assertion('header content-type', 'in', schema.documented, bareMediaType(exchange.contentType) || undefined, `${schema.where} is documented as ${schema.documented.join(' or ')}, not ${bareMediaType(exchange.contentType) || 'untyped'}`));
        }
      }
      if (validator) {
        violations = validator(parsed.value) ? [] : toViolations(validator.errors);
        assertions.push(...(violations.length > 0 ? violationAssertions(violations, params.maxViolations ?? 50, 'response') : [assertion(`body conforms to ${where}`, 'eq', 0, 0)]));
        for (const v of violations) findings.push({ rule: `schema/${v.rule}`, level: 'error', message: v.message });
      }
    }

    // 5. Round trip and error body.
    if (params.roundTrip && roundTripValue !== undefined && parsed.ok) {
      const trip = await roundTripAssertions(ctx, exchange, parsed.value, params.roundTrip.path, roundTripValue, params.roundTrip.readBack ? params.headers : undefined);
      assertions.push(...trip.assertions);
      artifacts.push(...trip.artifacts);
    }

    const failed = assertions.filter((a) => !a.passed);
    const head = `${label} -> ${exchange.status}`;
    const values = { status: exchange.status, headers: exchange.headers ?? {}, body: parsed.ok ? parsed.value : parsed.text, response: { status: exchange.status, headers: exchange.headers ?? {}, body: parsed.ok ? parsed.value : parsed.text }, violations };
    // The suite's own setup stopped the check, where the status it expected did not come:
    const statusFailed = params.url !== undefined && expected.some((a) => !a.passed);
    // a request the provider refused (400/422) that its own document rejects too ("fix the suite"),
    if (statusFailed && rejected && (exchange.status === 400 || exchange.status === 422)) {
      const said = errorFields(parsed.ok ? parsed.value : undefined, exchange.contentType).message;
      return {
        status: 'error',
        cause: 'setup',
        summary: `${head}${said ? ` (${JSON.stringify(said)})` : ''}: the provider refused a request body that ${rejected.where} rejects too: ${listed(rejected.violations)}: fix the suite`,
        assertions: [...assertions, ...violationAssertions(rejected.violations, params.maxViolations ?? 50, 'request')],
        findings,
        artifacts,
        values: { ...values, violations: rejected.violations },
      };
    }
    // or a URL the API does not have (404/405).
    if (statusFailed && params.url && NO_SUCH_PATH.has(exchange.status)) {
      const check = operation ? `the document has ${operation.method.toUpperCase()} ${operation.path}, the server does not: check the URL's base (e.g. the environment's baseUrl)` : "check the URL (its base, e.g. the environment's baseUrl, and its path) and the method";
      return {
        status: 'error',
        cause: 'setup',
        summary: `${label}: ${noSuchPath(method, exchange.url ?? params.url, { status: exchange.status, body: parsed.ok ? parsed.value : undefined, ...(allow ? { allow } : {}) }, check)}`,
        assertions,
        findings,
        artifacts,
        values,
      };
    }
    if (failed.length === 0) {
      const proven = [doc || jsonValidator ? 'conforms' : '', params.utf8 !== false ? 'UTF-8' : '', params.roundTrip ? `round trip of ${show(roundTripValue)} intact` : '', params.problem !== undefined ? 'clear error body' : ''].filter(Boolean);
      return { status: 'pass', summary: `${head}: ${proven.join(', ') || 'as expected'}`, assertions, findings, artifacts, values };
    }
    const summary =
      violations.length > 0 && failed.every((a) => a.name.startsWith('body/') || a.name === 'body')
        ? `${head}: ${plural(violations.length, 'schema violation')}: ${violations.slice(0, 2).map((v) => v.message).join('; ')}${violations.length > 2 ? '; ...' : ''}`
        : `${head}: ${describeFailure(failed[0]!)}${failed.length > 1 ? ` (and ${failed.length - 1} more)` : ''}`;
    return { status: 'fail', summary, assertions, findings, artifacts, values };
  },
});

function findOperation(doc: OpenApiDocument, params: SchemaParams, method: string): Operation {
  if (params.operationId) {
    const found = doc.byOperationId(params.operationId);
    if (found) return found;
    const ids = doc.operations().flatMap((op) => (op.operationId ? [op.operationId] : []));
    const near = closest(params.operationId, ids);
    throw new SourceError(`the document has no operationId "${params.operationId}"${near ? `; did you mean "${near}"?` : ''}`);
  }
  if (params.path) {
    const found = doc.byTemplate(method, params.path);
    if (found) return found;
    throw new SourceError(`the document has no operation ${method} ${params.path}`);
  }
  if (!params.url) throw new SourceError('give operationId, or method and path, to validate a captured response against an OpenAPI document');
  const found = doc.byRequest(method, new URL(params.url).pathname);
  if (found) return found;
  throw new SourceError(`no operation of the document matches ${method} ${new URL(params.url).pathname}; give operationId or path`);
}

/** The violations of a JSON request body against the operation's requestBody, or undefined when it conforms (or none is documented). */
function requestViolations(doc: OpenApiDocument, operation: Operation, json: unknown): { where: string; violations: Violation[] } | undefined {
  const schema = doc.requestSchema(operation, 'application/json');
  if (schema.kind !== 'schema' || schema.validator(json)) return undefined;
  return { where: schema.where, violations: toViolations(schema.validator.errors) };
}

/** "/amount: required member is missing; /reference: ... (and 3 more)". */
function listed(violations: Violation[]): string {
  return `${violations.slice(0, 2).map((v) => v.message).join('; ')}${violations.length > 2 ? ` (and ${violations.length - 2} more)` : ''}`;
}

function capturedExchange(response: CapturedResponse): Exchange {
  const headers = response.headers ?? {};
  const raw = headers['content-type'] ?? headers['Content-Type'];
  const contentType = Array.isArray(raw) ? raw[0] : raw;
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  return { status: response.status, contentType, headers, text, captured: response.body };
}

/** A copy of `json` with `value` at a dotted path (objects created as needed). */
function withValueAt(json: unknown, path: string, value: string): unknown {
  const copy: unknown = structuredClone(json);
  const parts = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let current = copy as Record<string, unknown>;
  parts.forEach((raw, i) => {
    const key = raw.startsWith('[') ? raw.slice(1, -1) : raw;
    if (i === parts.length - 1) current[key] = value;
    else {
      if (current[key] === null || typeof current[key] !== 'object') current[key] = {};
      current = current[key] as Record<string, unknown>;
    }
  });
  return copy;
}

