import { firstLine, pathOf } from '../ui/browser.js';
import type { Browser, Page, Request } from 'playwright-core';
import type { CheckContext } from '../types.js';
import { routeThrough, type FailedLoad } from '../ui/browser.js';
import type { ShopperAnswer } from './shop.js';

/**
 * The shopper at the merchant's checkout page in headless Chromium (the `ui` type's browser, every
 * request sent through the check's HttpClient, so the browser trusts exactly the run's CA):
 * open the page, press pay, answer the bank's 3-D Secure challenge when one is shown, and read
 * what the shop finally tells the shopper.
 */

/** The two buttons of the sandbox's challenge page (accessible names). */
export type ChallengeChoice = 'Complete authentication' | 'Fail authentication';

/** What the shopper saw, for one order. */
export interface CheckoutVisit {
  /** The final page as a shopper answer: `message` is the text of the outcome element. */
  answer: ShopperAnswer;
  /** Whether the challenge page (a `Complete authentication` button) was shown. */
  challenged: boolean;
  /** Where the shopper ended, e.g. `http://127.0.0.1:4242/checkout/return?...`. */
  finalUrl: string;
  /** The final page, PNG; absent when it could not be taken. */
  screenshot?: Uint8Array;
  /** Requests of the page that could not be answered (a network error in the browser). */
  failures: FailedLoad[];
}

/** What to do at the checkout. */
export interface CheckoutPlan {
  /** The checkout page of the order, full URL. */
  url: string;
  /** Accessible name of the button that pays. */
  payButton: string;
  /** ARIA role of the element that shows the outcome. */
  resultRole: string;
  /** The button pressed on the challenge page. */
  choice: ChallengeChoice;
  /** How long each step (loading, paying, the way back) may take. */
  stepMs: number;
}

// The page is settled when no request has started or finished for this long and the outcome
// element holds text: no event says "the shop has finished telling the shopper".
const QUIET_MS = 400;
const POLL_MS = 50;
const MAX_BODY_SHOWN = 4000;

/** Drives one checkout in a fresh browser context; the context is closed before it returns. */
export async function checkout(browser: Browser, ctx: CheckContext, plan: CheckoutPlan): Promise<CheckoutVisit> {
  const started = performance.now();
  const failures: FailedLoad[] = [];
  const context = await browser.newContext({ serviceWorkers: 'block', locale: 'en-US', viewport: { width: 800, height: 900 } });
  try {
    // The pay call may meet a decline on purpose (402, 422): not an API error of the run.
    await routeThrough(context, ctx.http, failures, [402, 422]);
    const page = await context.newPage();
    const traffic = watchTraffic(page);
    const merchant = new URL(plan.url).origin;
    const visit = (challenged: boolean, answer: Omit<ShopperAnswer, 'ms' | 'body'> & { body?: string }): Promise<CheckoutVisit> =>
      finish(page, { challenged, failures, answer: { body: '', ...answer, ms: performance.now() - started } });

    try {
      const response = await page.goto(plan.url, { waitUntil: 'load', timeout: plan.stepMs });
      if (response && response.status() >= 400) return await visit(false, { httpStatus: response.status(), error: `the checkout page ${pathOf(plan.url)} answered ${response.status()}` });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      return await visit(false, { error: `the checkout page ${pathOf(plan.url)} did not load: ${failures[0]?.reason ?? firstLine(error)}` });
    }
    try {
      await page.getByRole('button', { name: plan.payButton, exact: true }).first().click({ timeout: plan.stepMs });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      return await visit(false, { httpStatus: traffic.documentStatus(), error: `no "${plan.payButton}" button could be pressed on the checkout page ${pathOf(plan.url)}` });
    }

    // Until the shop has settled on its own page: either it sends the shopper to the challenge
    // (answered once, then back to the shop), or it tells them the outcome right away.
    const challenge = page.getByRole('button', { name: plan.choice, exact: true });
    let challenged = false;
    let deadline = performance.now() + plan.stepMs;
    let last = { text: '', since: performance.now() };
    for (;;) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      if (!challenged && (await challenge.isVisible().catch(() => false))) {
        challenged = true;
        await challenge.click({ timeout: plan.stepMs });
        deadline = performance.now() + plan.stepMs;
        continue;
      }
      const onShop = originOf(page.url()) === merchant;
      const text = onShop ? await resultText(page, plan.resultRole) : '';
      const now = performance.now();
      if (text !== last.text) last = { text, since: now };
      const quiet = traffic.quietSince() <= now - QUIET_MS && last.since <= now - QUIET_MS;
      if (onShop && text !== '' && quiet) break;
      if (now > deadline) break;
      await pause(POLL_MS, ctx.signal);
    }
    const text = originOf(page.url()) === merchant ? await resultText(page, plan.resultRole) : '';
    const body = await page.locator('body').innerText({ timeout: 1000 }).catch(() => '');
    return await visit(challenged, {
      ...(traffic.documentStatus() === undefined ? {} : { httpStatus: traffic.documentStatus() }),
      ...(text === '' ? {} : { message: text }),
      body: body.slice(0, MAX_BODY_SHOWN),
      ...(text === '' ? { error: originOf(page.url()) === merchant ? `nothing was shown in the role="${plan.resultRole}" element` : `the shopper was left at ${page.url()}` } : {}),
    });
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Adds the final URL and a screenshot. */
async function finish(page: Page, visit: Omit<CheckoutVisit, 'finalUrl' | 'screenshot'>): Promise<CheckoutVisit> {
  const screenshot = await page.screenshot({ type: 'png', timeout: 5000 }).catch(() => undefined);
  return { ...visit, finalUrl: page.url(), ...(screenshot ? { screenshot: new Uint8Array(screenshot) } : {}) };
}

/** The text of the first visible element with `role`, trimmed; empty when there is none. */
async function resultText(page: Page, role: string): Promise<string> {
  try {
    // A configured role (any ARIA role, implicit ones too: <output> is a status).
    const element = page.getByRole(role as Parameters<Page['getByRole']>[0]).filter({ visible: true }).first();
    if ((await element.count()) === 0) return '';
    return ((await element.textContent({ timeout: 500 })) ?? '').replace(/\s+/g, ' ').trim();
  } catch {
    return ''; // the page is navigating
  }
}

/** Requests in flight and when the last one started or ended; the main document's status. */
function watchTraffic(page: Page): { quietSince(): number; documentStatus(): number | undefined } {
  const inFlight = new Set<Request>();
  let changed = performance.now();
  let status: number | undefined;
  const done = (request: Request): void => {
    inFlight.delete(request);
    changed = performance.now();
  };
  page.on('request', (request) => {
    inFlight.add(request);
    changed = performance.now();
  });
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  page.on('response', (response) => {
    if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) status = response.status();
  });
  return {
    quietSince: () => (inFlight.size > 0 ? Number.POSITIVE_INFINITY : changed),
    documentStatus: () => status,
  };
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
