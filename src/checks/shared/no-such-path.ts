import { errorFields } from './error-body.js';

/** Statuses that say a request reached a server without this path (404) or not for this method (405). */
export const NO_SUCH_PATH: ReadonlySet<number> = new Set([404, 405]);

/** What a 404/405 answer was, as a check quotes it. */
export interface MissingPathAnswer {
  /** 404 or 405. */
  status: number;
  /** The Allow header of a 405, if any. */
  allow?: string;
  /** The body, parsed as JSON when it is (its message is quoted). */
  body?: unknown;
}

/**
 * "POST https://host/v1/payments answered 404 ("No endpoint at ..."): the API has no such path: <what to check>".
 * A configured path the API does not have is the suite's setup (cause `setup`), not a verdict on the target.
 */
export function noSuchPath(method: string, url: string, answer: MissingPathAnswer, check: string): string {
  const said = errorFields(answer.body).message;
  const what = answer.status === 405 ? `the API has ${new URL(url).pathname} but not for ${method}${answer.allow ? ` (Allow: ${answer.allow})` : ''}` : 'the API has no such path';
  return `${method} ${url} answered ${answer.status}${said ? ` (${JSON.stringify(said.length > 120 ? `${said.slice(0, 117)}...` : said)})` : ''}: ${what}: ${check}`;
}
