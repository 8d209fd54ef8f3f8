import { constants, readFileSync, readdirSync, rmSync } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserType, Page, Route } from 'playwright-core';
import type * as Playwright from 'playwright-core';
import type { HttpClient } from '../../net/http.js';
import type { Prepared } from '../types.js';
import { NetError } from '../../net/errors.js';

/**
 * Headless Chromium for checks that look at pages (`ui`): the system browser driven by
 * playwright-core (nothing is downloaded), with every request the page makes sent through the
 * check's HttpClient, so the browser trusts exactly what the run trusts (the environment's CA,
 * verification on) and every page load is in the interaction log.
 */

/**
 * Where Chromium usually is; the first that exists is used when a suite names none. The headless
 * shell first (Debian's `chromium-headless-shell`, the build Playwright itself runs headless): the
 * full browser in headless mode does the same work at about 2.5x the wall time and 1.7x the CPU
 * (launch, four viewports, close: 3.6 s against 1.3 s on 2 cores). Puppeteer's guide says of it:
 * "chrome-headless-shell does not match the behavior of the regular Chrome completely but it is
 * currently more performant for automation tasks where the complete Chrome feature set is not
 * needed" (https://pptr.dev/guides/headless-modes) — a page's layout, scripts and network are the
 * same Blink and V8; what it lacks (extensions, the browser UI) no check looks at.
 */
export const CHROMIUM_CANDIDATES: readonly string[] = [
  '/usr/lib/chromium/chromium-headless-shell',
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
  /** Closes the browser when `signal` aborts too (a check taking over a warm browser). */
  closeOn(signal: AbortSignal): void;
}

/**
 * Loads playwright-core, only in a run that starts a browser: a CommonJS bundle of 3 MB, required
 * rather than imported, which spares Node's scan of it for named exports (260-310 ms against
 * 400-500 ms on 2 cores, on the browser check's critical path).
 */
function loadPlaywright(): BrowserType {
  const { chromium } = createRequire(import.meta.url)('playwright-core') as typeof Playwright;
  return chromium;
}

/**
 * Starts headless Chromium (a fresh temporary profile each time); closes it when `signal` aborts.
 *
 * Chromium gets a temporary folder of its own (its `TMPDIR`), removed once it has exited, and at
 * the latest as this process exits. Chromium makes its own folder there as it starts
 * (`org.chromium.Chromium.XXXXXX`, its single-instance socket) and removes it only on a clean
 * shutdown: a process ending the hard way (a second Ctrl-C, or a launch still under way when the
 * interrupt's grace ran out) has its Chromium killed by Playwright, and that folder used to stay in
 * the user's temp folder.
 */
export async function launchChromium(executablePath: string, signal: AbortSignal, timeoutMs: number): Promise<LaunchedBrowser> {
  const chromium = loadPlaywright();
  const tmp = await chromiumTmp();
  // Playwright's profile folder for this Chromium, once known (removed at exit, if still there).
  const profiles = new Set<string>();
  const onExit = (): void => {
    if (tmp) removeChromiumLeftoversSync(tmp, profiles);
  };
  process.on('exit', onExit);
  const removeTmp = async (): Promise<void> => {
    process.off('exit', onExit);
    if (tmp) await rm(tmp, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  };
  let browser: Browser;
  try {
    // payready handles SIGINT/SIGTERM/SIGHUP itself (the run's signal closes the browser below).
    // Playwright's own handlers would race that close, killing Chromium before it removes its temp
    // folder and, on SIGINT, exiting the process before the partial report is written.
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      ...(tmp ? { env: { ...process.env, TMPDIR: tmp } } : {}),
      timeout: timeoutMs,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
  } catch (err) {
    await removeTmp();
    throw err;
  }
  // Playwright removes the profile once Chromium has exited, asynchronously: a process ending the
  // hard way during that removal would leave the rest of it.
  if (tmp) for (const { profile } of chromiumProcessesSync(tmp)) if (profile) profiles.add(profile);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= browser.close().catch(() => undefined).then(removeTmp));
  // Closed on the abort (Ctrl-C, the check's timeout), at once if that came during the launch.
  const closeOn = (on: AbortSignal): void => {
    const onAbort = (): void => void close();
    if (on.aborted) onAbort();
    else on.addEventListener('abort', onAbort, { once: true });
    browser.once('disconnected', () => on.removeEventListener('abort', onAbort));
  };
  closeOn(signal);
  return { browser, close, closeOn };
}

// Chromium's single-instance socket, `TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket`, must
// fit a Unix socket address (108 bytes with its NUL on Linux): past it Chromium aborts at start.
const SOCKET_PATH_MAX = 107;
const SINGLETON_SOCKET = '/org.chromium.Chromium.XXXXXX/SingletonSocket';

/**
 * A temporary folder for Chromium, its name short (`pr-XXXXXX`) to keep its socket's path short;
 * undefined (Chromium then uses the user's own) where that path would be too long or the folder
 * cannot be made.
 */
async function chromiumTmp(): Promise<string | undefined> {
  const prefix = join(tmpdir(), 'pr-');
  if (Buffer.byteLength(prefix) + 6 + SINGLETON_SOCKET.length > SOCKET_PATH_MAX) return undefined;
  return mkdtemp(prefix).catch(() => undefined);
}

/** The Chromium processes this process started with `tmp` as their `TMPDIR`, with their `--user-data-dir` (Linux's `/proc`; none elsewhere). */
function chromiumProcessesSync(tmp: string): { pid: number; profile?: string }[] {
  const marker = `TMPDIR=${tmp}\0`;
  const found: { pid: number; profile?: string }[] = [];
  for (const pid of childPidsSync(process.pid)) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker)) continue;
      const profile = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .find((arg) => arg.startsWith('--user-data-dir='))
        ?.slice('--user-data-dir='.length);
      found.push({ pid, ...(profile ? { profile } : {}) });
    } catch {
      // gone already, or not ours
    }
  }
  return found;
}

/**
 * For a process that is exiting (synchronous): kills the Chromium started with `tmp` as its
 * `TMPDIR`, with its process group, whether or not Playwright's own exit handler has done so yet
 * (exit handlers run in the order they were added, and Playwright's is gone once Chromium has
 * exited), then removes `tmp` and Chromium's profile folders (`profiles`, and the one a Chromium
 * still running names). Chromium is found in Linux's `/proc`; elsewhere Playwright's kill is
 * relied on.
 */
function removeChromiumLeftoversSync(tmp: string, profiles: ReadonlySet<string>): void {
  const folders = new Set([tmp, ...profiles]);
  for (const { pid, profile } of chromiumProcessesSync(tmp)) {
    if (profile) folders.add(profile);
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  for (const folder of folders) rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
}

/** The direct children of `pid` (from every thread's `/proc/PID/task/TID/children`); none without `/proc`. */
function childPidsSync(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const tid of tasks) {
    try {
      pids.push(...readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter((x) => x !== '').map(Number));
    } catch {
      // the thread ended
    }
  }
  return pids;
}

// Phones and tablets get a touch screen and honour the viewport meta; the laptop size does not.
const MOBILE_BELOW = 1024;

/** A blank page at one viewport (`360x640`), in a context of its own. */
export interface ViewportPage {
  context: BrowserContext;
  page: Page;
}

/** Opens a blank page at `label` (WIDTHxHEIGHT) in a fresh context: touch and mobile below 1024 px wide. */
export async function openViewport(browser: Browser, label: string): Promise<ViewportPage> {
  const [width = 0, height = 0] = label.split('x').map(Number);
  const mobile = width < MOBILE_BELOW;
  const context = await browser.newContext({ viewport: { width, height }, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1, serviceWorkers: 'block', locale: 'en-US' });
  try {
    return { context, page: await context.newPage() };
  } catch (err) {
    await context.close().catch(() => undefined);
    throw err;
  }
}

/** What a warm-up hands over: the browser and the blank pages it opened, by viewport. */
export interface WarmBrowser {
  launched: LaunchedBrowser;
  /** A blank page per viewport the warm-up knew of; each rejects as its opening did. */
  pages: Map<string, Promise<ViewportPage>>;
}

/**
 * Chromium launched ahead of the `ui` check's turn (its type's `prepare`, which the run calls when
 * it goes quiet: every running check waiting, no check left to start but those that run last),
 * with a blank page open per viewport (each page is a renderer process to start): the check takes
 * them over instead of starting them. Closed on the run's abort and by `release` at the end of the
 * run, whether the check took it or not.
 */
export class BrowserWarmUp implements Prepared {
  readonly #warming: Promise<{ executable: string; warm: WarmBrowser } | undefined>;
  #taken = false;

  /** Starts finding and launching Chromium (`explicit`: the suite's `browser` parameter) and opening a page per viewport in `viewports`. */
  constructor(explicit: string | undefined, viewports: readonly string[], signal: AbortSignal, timeoutMs: number) {
    this.#warming = findChromium(explicit).then(async (executable) => {
      if (!executable) return undefined;
      const launched = await launchChromium(executable, signal, timeoutMs);
      const pages = new Map<string, Promise<ViewportPage>>();
      for (const label of new Set(viewports)) {
        const opening = openViewport(launched.browser, label);
        // Not taken (the check stopped first), a failed opening is nobody's error.
        opening.catch(() => undefined);
        pages.set(label, opening);
      }
      return { executable, warm: { launched, pages } };
    });
    // A failed launch is reported by the check that takes it; unclaimed, it is nobody's error.
    this.#warming.catch(() => undefined);
  }

  /**
   * The browser launched for `executable` and its pages (rejecting as the launch did), once:
   * undefined when it was taken already (a retry launches its own) or another executable was launched.
   */
  async take(executable: string): Promise<WarmBrowser | undefined> {
    if (this.#taken) return undefined;
    this.#taken = true;
    const warming = await this.#warming;
    if (warming?.executable === executable) return warming.warm;
    await warming?.warm.launched.close();
    return undefined;
  }

  release(): Promise<void> {
    return this.#warming.then((warming) => warming?.warm.launched.close()).catch(() => undefined);
  }
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
