import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './respond.js';

/** What a handler gets for one request. */
export interface RouteRequest {
  /** The raw request (headers, body stream). */
  req: IncomingMessage;
  /** The raw response, for handlers that stream instead of returning a `Reply`. */
  res: ServerResponse;
  /** Parsed request URL (path and query). */
  url: URL;
  /** Values of the `:name` segments of the matched pattern, URL-decoded. */
  params: Record<string, string>;
}

/**
 * Returns the response to send, or nothing when the handler wrote `res` itself (streams,
 * deliberately hanging or reset connections).
 */
export type Handler = (request: RouteRequest) => Promise<Reply | undefined> | Reply | undefined;

interface Route {
  method: string;
  segments: readonly string[];
  handler: Handler;
}

/** A route that matches both path and method. */
export interface RouteFound {
  /** Discriminant. */
  kind: 'found';
  /** The route's handler. */
  handler: Handler;
  /** Values of the pattern's `:name` segments. */
  params: Record<string, string>;
}

/** The path exists but not for this method (answered with 405 and `Allow`). */
export interface RouteMethodNotAllowed {
  /** Discriminant. */
  kind: 'method-not-allowed';
  /** Methods the path does support, sorted. */
  allow: readonly string[];
}

/** The outcome of looking a request up. */
export type RouteMatch = RouteFound | RouteMethodNotAllowed | { kind: 'not-found' };

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: readonly string[], path: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== path.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i] ?? '';
    const actual = path[i] ?? '';
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined; // a malformed %-escape cannot name any resource
      }
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

/** Method + path-pattern routing (`/v1/payments/:id`); first registered match wins. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method: method.toUpperCase(), segments: split(pattern), handler });
    return this;
  }

  get(pattern: string, handler: Handler): this {
    return this.add('GET', pattern, handler);
  }

  post(pattern: string, handler: Handler): this {
    return this.add('POST', pattern, handler);
  }

  /** Every registered route as method and pattern (`/v1/payments/:id`), in registration order. */
  list(): { method: string; pattern: string }[] {
    return this.routes.map((route) => ({ method: route.method, pattern: `/${route.segments.join('/')}` }));
  }

  /** Finds the handler; HEAD is served by the GET handler (Node drops the body). */
  match(method: string, pathname: string): RouteMatch {
    const path = split(pathname);
    const wanted = method === 'HEAD' ? 'GET' : method;
    const allow = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, path);
      if (!params) continue;
      if (route.method === wanted) return { kind: 'found', handler: route.handler, params };
      allow.add(route.method);
      if (route.method === 'GET') allow.add('HEAD');
    }
    return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow].sort() } : { kind: 'not-found' };
  }
}
