import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Browser, BrowserContext, Route } from 'playwright-core';
import type { HttpClient } from '../../net/http.js';
import { NetError } from '../../net/errors.js';

/**
 * Headless Chromium for checks that look at pages (`ui`): the system browser driven by
 * playwright-core (nothing is downloaded), with every request the page makes sent through the
 * check's HttpClient, so the browser trusts exactly what the run trusts (the environment's CA,
 * verification on) and every page load is in the interaction log.
 */

/** Where Chromium usually is; the first that exists is used when a suite names none. */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

// Headless, no GPU, no background traffic (updates, safe browsing): the browser only loads what
// the check asks for. No sandbox: CI containers run as root, where Chromium's sandbox cannot start.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** The browser executable to use, or undefined when none exists. */
export async function findChromium(explicit?: string): Promise<string | undefined> {
  for (const path of explicit ? [explicit] : CHROMIUM_CANDIDATES) {
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** A running Chromium and the one way to close it. */
export interface LaunchedBrowser {
  browser: Browser;
  /**
   * Closes the browser; resolves once Chromium has exited and its temporary profile is removed.
   * Safe to call again: Playwright's own `browser.close()` waits for that only the first time.
   */
  close(): Promise<void>;
}

/** Starts headless Chromium (a fresh temporary profile each time); closes it when `signal` aborts. */
export async function launchChromium(executablePath: string, signal: AbortSignal, timeoutMs: number): Promise<LaunchedBrowser> {
  const { chromium } = await import('playwright-core');
  // payready handles SIGINT/SIGTERM/SIGHUP itself (the run's signal closes the browser below).
  // Playwright's own handlers would race that close, killing Chromium before it removes its temp
  // folder and, on SIGINT, exiting the process before the partial report is written.
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: timeoutMs, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= browser.close().catch(() => undefined));
  const onAbort = (): void => void close();
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  browser.once('disconnected', () => signal.removeEventListener('abort', onAbort));
  return { browser, close };
}

// Hop-by-hop and encoding headers: the transport sets its own, and bodies reach the browser decoded.
const DROPPED_REQUEST_HEADERS = new Set(['host', 'connection', 'content-length', 'accept-encoding', 'keep-alive', 'transfer-encoding', 'upgrade']);
const DROPPED_RESPONSE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** A request the page made that could not be answered. */
export interface FailedLoad {
  /** `GET /checkout/app.js`. */
  request: string;
  /** Why, in words. */
  reason: string;
}

/**
 * Routes every HTTP(S) request of the context through `http`; failures are aborted in the page
 * (as a network error would be) and collected in `failures`. `submitProvokes`: error statuses the
 * page's form submissions are meant to meet (a declined test card), logged as expected.
 */
export async function routeThrough(context: BrowserContext, http: HttpClient, failures: FailedLoad[], submitProvokes?: readonly number[]): Promise<void> {
  await context.route('**/*', async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    // Every Playwright call here fails once the browser is closed (the check was stopped while the
    // page was loading); a route callback that rejects would crash the process.
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return route.continue().catch(() => undefined);
    let requestHeaders: Record<string, string>;
    try {
      requestHeaders = await request.allHeaders();
    } catch {
      return route.abort('failed').catch(() => undefined);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(requestHeaders)) {
      if (!DROPPED_REQUEST_HEADERS.has(name.toLowerCase()) && !name.startsWith(':')) headers[name] = value;
    }
    const body = request.postDataBuffer();
    try {
      const submits = request.method() !== 'GET' && request.method() !== 'HEAD';
      const response = await http.request({ method: request.method(), url: url.href, headers, ...(body ? { body } : {}), ...(submits && submitProvokes ? { expected: { status: submitProvokes } } : {}) });
      const responseHeaders: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (!DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
      }
      await route.fulfill({ status: response.status, headers: responseHeaders, body: response.body });
    } catch (err) {
      // The page sees a network error, as it would in the field; the check reports the cause.
      failures.push({ request: `${request.method()} ${url.pathname}`, reason: err instanceof NetError || err instanceof Error ? err.message : String(err) });
      await route.abort('failed').catch(() => undefined);
    }
  });
}

/** The first line of a browser error, without its class name: playwright appends call logs after it. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim() !== '') ?? message).replace(/^\S+: /, '').trim();
}

/** The path of a page's URL, for messages (the URL itself when it does not parse). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
