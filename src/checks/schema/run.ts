import { assertion, describeFailure, show } from '../../model/operators.js';
import type { Artifact, Assertion, Finding, Outcome } from '../../model/outcome.js';
import { NetError } from '../../net/errors.js';
import type { HttpResponse } from '../../net/http.js';
import { transcript, urlPath } from '../../net/transcript.js';
import type { Validator } from '../../schema/ajv.js';
import { SourceError, loadJsonSchema, loadOpenApi } from '../../schema/load.js';
import { bareMediaType, type Operation, type OpenApiDocument } from '../../schema/openapi.js';
import { toViolations, type Violation } from '../../schema/violations.js';
import { closest, plural } from '../../text.js';
import { check } from '../shared/assert.js';
import { errorBodyAssertions, errorFields, type ErrorBodySpec } from '../shared/error-body.js';
import { messenger } from '../shared/messages.js';
import { NO_SUCH_PATH, noSuchPath } from '../shared/no-such-path.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { encodingAssertions, parseBody, roundTripAssertions, violationAssertions, type Exchange } from './body.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

/**
 * A response captured by an earlier check (`http` or `schema`: its `response` value). Typed by
 * hand: the schema also allows a `${checks.x.response}` string, which is an object by the time
 * the check runs, and its headers are any object.
 */
interface CapturedResponse {
  /** HTTP status. */
  status: number;
  /** Headers (the content-type is read). */
  headers?: Record<string, string | string[]>;
  /** The body as the earlier check parsed it. */
  body?: unknown;
}

const say = messenger(messages);

/** Validates the response (its own request's, or a captured one) against the document or schema, and judges its encoding, round trip and error body. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const { method } = params;
  // The parameter schema guarantees an object with a status when there is no url (a reference is resolved by now).
  const captured = params.response as CapturedResponse | undefined;
  // The `problem` schema is shared/error-body.ts's (a loose JsonSchema), so FromSchema cannot type it.
  const problem = params.problem as ErrorBodySpec | undefined;
  const label = params.url ? `${method} ${urlPath(params.url)}` : `the captured ${captured?.status ?? ''} response`.replace('  ', ' ');
  const roundTripValue = params.roundTrip?.value;
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
    if (error instanceof SourceError) return say.outcome('error', 'sourceError', { label, detail: error.message });
    throw error;
  }

  // 2. Our own request body must follow the operation too: a body the provider's own document
  // rejects is the suite's mistake (cause `setup`), whatever the provider then answers.
  const rejected = doc && operation && params.url && requestJson !== undefined ? requestViolations(doc, operation, requestJson) : undefined;
  if (rejected && params.validateRequest) {
    return say.outcome('error', 'requestBreaks', { label, where: rejected.where, violations: listed(rejected.violations) }, { cause: 'setup', assertions: violationAssertions(rejected.violations, params.maxViolations, 'request'), values: { violations: rejected.violations } });
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
      if (error instanceof NetError) return say.outcome('error', 'unreachable', { label, cause: error.message });
      throw error;
    }
    artifacts.push({ name: 'transcript.http', mediaType: 'message/http', description: `${label} request and response`, data: transcript({ method, url: params.url, headers: params.headers, body: params.body ?? (requestJson !== undefined ? JSON.stringify(requestJson) : undefined) }, response) });
    exchange = { status: response.status, contentType: response.header('content-type'), bytes: response.body, location: response.header('location'), url: response.url };
    allow = response.header('allow');
  } else {
    exchange = capturedExchange(captured!);
  }

  const assertions: Assertion[] = [];
  const findings: Finding[] = [];
  const expectsError = problem !== undefined;
  const expected = params.status !== undefined ? check('status', exchange.status, params.status, { statusClass: true }) : [expectsError ? assertion('status', 'ge', 400, exchange.status) : assertion('status', 'lt', 400, exchange.status)];
  assertions.push(...expected);
  const parsed = parseBody(exchange);
  // An error check's headline is whether the error is clear, so its assertions come first.
  if (problem !== undefined) assertions.push(...errorBodyAssertions({ status: exchange.status, contentType: exchange.contentType, text: parsed.text }, problem));
  if (params.utf8) assertions.push(...encodingAssertions(exchange));
  // An error-body check judges a non-JSON body itself (and says how it is opaque). Otherwise a
  // body that does not parse fails, whatever else was asked: this check type is about JSON data.
  if (!parsed.ok && !expectsError && (doc || jsonValidator || params.roundTrip || parsed.text.trim() !== '')) {
    assertions.push(assertion('body', 'type', 'object', 'text', say.text('notJson', { error: parsed.error })));
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
        assertions.push(assertion('status', 'in', schema.documented, String(exchange.status), say.text('undocumentedStatus', { status: exchange.status, operation: `${operation.method.toUpperCase()} ${operation.path}`, documented: schema.documented.join(', ') })));
      } else if (schema.kind === 'undocumented-media-type') {
        assertions.push(assertion('header content-type', 'in', schema.documented, bareMediaType(exchange.contentType) || undefined, say.text('undocumentedMediaType', { where: schema.where, documented: schema.documented.join(' or '), actual: bareMediaType(exchange.contentType) || 'untyped' })));
      }
    }
    if (validator) {
      violations = validator(parsed.value) ? [] : toViolations(validator.errors);
      assertions.push(...(violations.length > 0 ? violationAssertions(violations, params.maxViolations, 'response') : [assertion(`body conforms to ${where}`, 'eq', 0, 0)]));
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
  const values = { status: exchange.status, headers: exchange.headers ?? {}, body: parsed.ok ? parsed.value : parsed.text, response: { status: exchange.status, headers: exchange.headers ?? {}, body: parsed.ok ? parsed.value : parsed.text }, violations };
  // The suite's own setup stopped the check, where the status it expected did not come:
  const statusFailed = params.url !== undefined && expected.some((a) => !a.passed);
  // a request the provider refused (400/422) that its own document rejects too ("fix the suite"),
  if (statusFailed && rejected && (exchange.status === 400 || exchange.status === 422)) {
    const said = errorFields(parsed.ok ? parsed.value : undefined, exchange.contentType).message;
    const data = { label, status: exchange.status, said: said ? ` (${JSON.stringify(said)})` : '', where: rejected.where, violations: listed(rejected.violations) };
    const all = [...assertions, ...violationAssertions(rejected.violations, params.maxViolations, 'request')];
    return say.outcome('error', 'refusedBody', data, { cause: 'setup', assertions: all, findings, artifacts, values: { ...values, violations: rejected.violations } });
  }
  // or a URL the API does not have (404/405).
  if (statusFailed && params.url && NO_SUCH_PATH.has(exchange.status)) {
    const check = operation ? `the document has ${operation.method.toUpperCase()} ${operation.path}, the server does not: check the URL's base (e.g. the environment's baseUrl)` : "check the URL (its base, e.g. the environment's baseUrl, and its path) and the method";
    const detail = noSuchPath(method, exchange.url ?? params.url, { status: exchange.status, body: parsed.ok ? parsed.value : undefined, ...(allow ? { allow } : {}) }, check);
    return say.outcome('error', 'noSuchPath', { label, detail }, { cause: 'setup', assertions, findings, artifacts, values });
  }
  const rest = { assertions, findings, artifacts, values };
  if (failed.length === 0) {
    const proven = [doc || jsonValidator ? 'conforms' : '', params.utf8 ? 'UTF-8' : '', params.roundTrip ? `round trip of ${show(roundTripValue)} intact` : '', problem !== undefined ? 'clear error body' : ''].filter(Boolean);
    return say.outcome('pass', 'conforms', { label, status: exchange.status, proven: proven.join(', ') || 'as expected' }, rest);
  }
  if (violations.length > 0 && failed.every((a) => a.name.startsWith('body/') || a.name === 'body')) {
    const list = violations.slice(0, 2).map((v) => v.message).join('; ');
    return say.outcome('fail', 'violations', { label, status: exchange.status, count: plural(violations.length, 'schema violation'), list, more: violations.length > 2 ? '; ...' : '' }, rest);
  }
  return say.outcome('fail', 'failed', { label, status: exchange.status, first: describeFailure(failed[0]!), more: failed.length > 1 ? ` (and ${failed.length - 1} more)` : '' }, rest);
}

function findOperation(doc: OpenApiDocument, params: Params, method: string): Operation {
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

