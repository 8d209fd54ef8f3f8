import { firstLine, pathOf } from './browser.js';
import { clip, judgeShopperMessage } from '../shared/shopper-message.js';
import type { Browser } from 'playwright-core';
import type { MessageData } from '../../model/messages.js';
import { assertion } from '../../model/operators.js';
import type { Artifact, Assertion, Finding, Measurement, Outcome } from '../../model/outcome.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf, PrepareContext, Prepared } from '../types.js';
import { inspectPage, liveMessage, type FieldFacts, type PageFacts } from './audit.js';
import { BrowserWarmUp, findChromium, launchChromium, openViewport, routeThrough, type FailedLoad, type LaunchedBrowser, type ViewportPage } from './browser.js';
import { messages } from './messages.js';
import { DEFAULT_VIEWPORTS, type meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

/** A summary that ends the check before the page is judged: a message id and its data. */
interface Stop {
  id: 'notLoaded' | 'notCheckout';
  data: MessageData;
}

/** A problem found, before it becomes a finding. */
interface Problem {
  /** `ui/overflow`, `ui/tap-target`... */
  rule: string;
  /** error fails the check, warning warns. */
  level: 'error' | 'warning';
  /** What is wrong and what to do. */
  message: string;
}

/** What one viewport showed. */
interface ViewportRun {
  label: string;
  width: number;
  facts: PageFacts;
  message: string | null;
  messageMs: number;
  consoleErrors: string[];
  screenshot?: Uint8Array;
}

const FIELD_WORDS = { number: 'card number', expiry: 'expiry date', cvc: 'security code' } as const;
const AUTOCOMPLETE: Record<FieldFacts['field'], string[]> = { number: ['cc-number'], expiry: ['cc-exp', 'cc-exp-month'], cvc: ['cc-csc'] };

const say = messenger(messages);

/** Loads the checkout at every viewport in headless Chromium and judges what it shows. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const executable = await findChromium(params.browser);
  if (!executable) return params.browser ? say.outcome('skip', 'noBrowserAt', { browser: params.browser }) : say.outcome('skip', 'noChromium');
  const started = ctx.clock.monotonic();
  let launched: LaunchedBrowser;
  let pages = new Map<string, Promise<ViewportPage>>();
  try {
    const warm = ctx.prepared instanceof BrowserWarmUp ? await ctx.prepared.take(executable) : undefined;
    warm?.launched.closeOn(ctx.signal);
    if (warm) pages = warm.pages;
    launched = warm?.launched ?? (await launchChromium(executable, ctx.signal, ctx.timeoutMs));
  } catch (err) {
    return say.outcome('error', 'browserFailed', { executable, cause: firstLine(err) });
  }
  const measurements: Measurement[] = [{ name: 'browser start', value: ctx.clock.monotonic() - started, unit: 'ms' }];
  const runs: ViewportRun[] = [];
  const failures: FailedLoad[] = [];
  try {
    // The viewports load side by side (one context each): the waits for a message overlap.
    const visits = await Promise.all(params.viewports.map((label) => visit(launched.browser, takePage(pages, label), label, params, ctx, failures)));
    for (const visited of visits) {
      if ('stop' in visited) return say.outcome('error', visited.stop.id, visited.stop.data, { measurements });
      runs.push(visited);
    }
  } finally {
    await launched.close();
  }
  return conclude(runs, failures, params, measurements);
}

/**
 * Launches Chromium ahead of the check's turn, with a blank page per viewport: the run calls this
 * when it goes quiet (every running check waiting out a pause, no check left to start but those
 * that run last), so the launch runs beside nothing measured. Not when the executable is only
 * known at the check's turn (`browser: ${...}`).
 */
export async function prepare(params: Readonly<Record<string, unknown>>, ctx: PrepareContext): Promise<Prepared | undefined> {
  const browser = params['browser'];
  if (browser !== undefined && (typeof browser !== 'string' || browser.includes('${'))) return undefined;
  if (!(await findChromium(browser))) return undefined; // the check says it is missing
  // Blank pages for the viewports named as written (the defaults when none are).
  const viewports = params['viewports'] ?? DEFAULT_VIEWPORTS;
  const labels = Array.isArray(viewports) ? viewports.filter((v): v is string => typeof v === 'string' && /^[1-9][0-9]{1,3}x[1-9][0-9]{1,3}$/.test(v)) : [];
  return new BrowserWarmUp(browser, labels, ctx.signal, ctx.timeoutMs);
}

/**
 * Loads the page at one viewport, inspects it, submits the declined card and takes the screenshot;
 * in the blank page the warm-up opened for the viewport when there is one (`warm`).
 */
async function visit(browser: Browser, warm: Promise<ViewportPage> | undefined, label: string, params: Params, ctx: CheckContext, failures: FailedLoad[]): Promise<ViewportRun | { stop: Stop }> {
  const width = Number(label.split('x')[0]);
  // A page the warm-up failed to open is opened again: the error, if it lasts, is the check's.
  const { context, page } = (await warm?.catch(() => undefined)) ?? (await openViewport(browser, label));
  try {
    // The check submits a declined test card on purpose: its 402 (or 422) is not an API error.
    await routeThrough(context, ctx.http, failures, [402, 422]);
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      // Chromium's own "Failed to load resource: ... 402" says nothing the page chose to say.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    let response;
    try {
      response = await page.goto(params.url, { waitUntil: 'load', timeout: ctx.timeoutMs });
    } catch (err) {
      const cause = failures.find((f) => f.request.startsWith('GET'))?.reason ?? firstLine(err);
      return { stop: { id: 'notLoaded', data: { viewport: label, path: pathOf(params.url), cause } } };
    }
    if (response && response.status() >= 400) return { stop: { id: 'notCheckout', data: { viewport: label, path: pathOf(params.url), status: response.status() } } };

    const facts = await page.evaluate(inspectPage, params.form);
    const { card } = params;
    const year = (ctx.clock.now().getUTCFullYear() + 3) % 100;
    const values: Record<string, string> = { number: card.number, expiry: card.expiry ?? `12/${String(year).padStart(2, '0')}`, cvc: card.cvc, name: card.name };
    for (const field of ['name', ...facts.fields.filter((f) => f.found).map((f) => f.field)]) {
      await page.fill(`[data-payready-field="${field}"]`, values[field] ?? '', { timeout: 2000 }).catch(() => undefined);
    }
    let message: string | null = null;
    let messageMs = 0;
    if (facts.submit) {
      const clicked = ctx.clock.monotonic();
      await page.click('[data-payready-submit]', { timeout: 2000 }).catch(() => undefined);
      try {
        const handle = await page.waitForFunction(liveMessage, undefined, { timeout: params.messageTimeoutMs, polling: 50 });
        message = (await handle.jsonValue()) as string | null;
      } catch {
        message = null; // nothing within the time a shopper waits
      }
      messageMs = ctx.clock.monotonic() - clicked;
    }
    let screenshot: Uint8Array | undefined;
    if (params.screenshots) {
      // Evidence must not hold card data, not even a test card's: blank the fields (no events fired).
      await page.evaluate(() => {
        const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ value: string }> } }).document;
        for (const input of Array.from(doc.querySelectorAll('[data-payready-field="number"], [data-payready-field="cvc"]'))) input.value = '';
      });
      screenshot = new Uint8Array(await page.screenshot({ type: 'png' }));
    }
    return { label, width, facts, message, messageMs, consoleErrors, ...(screenshot ? { screenshot } : {}) };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Turns what every viewport showed into the outcome. */
function conclude(runs: ViewportRun[], failures: FailedLoad[], params: Params, measurements: Measurement[]): Outcome {
  const problems: Problem[] = [];
  const assertions: Assertion[] = [];
  const artifacts: Artifact[] = [];
  const { minTapTarget: minTap, warnTapTarget: warnTap } = params;
  const first = runs[0];
  if (first) pageProblems(first.facts, problems, assertions);

  for (const run of runs) {
    const { facts, label, width } = run;
    assertions.push(assertion(`${label} document width`, 'le', width, facts.scrollWidth, say.text('pageWidth', { viewport: label, scrollWidth: facts.scrollWidth })));
    measurements.push({ name: `${label} document width`, value: facts.scrollWidth, unit: 'px' });
    if (facts.scrollWidth > width + 1) {
      problems.push({ rule: 'ui/overflow', level: 'error', message: say.text('overflow', { viewport: label, scrollWidth: facts.scrollWidth, width }) });
    }
    const smallest = [...facts.targets].sort((a, b) => Math.min(a.width, a.height) - Math.min(b.width, b.height))[0];
    if (smallest) {
      const side = Math.min(smallest.width, smallest.height);
      measurements.push({ name: `${label} smallest tap target`, value: side, unit: 'px' });
      assertions.push(assertion(`${label} smallest tap target`, 'ge', minTap, side, say.text('tapTargetSize', { viewport: label, what: smallest.what, width: smallest.width, height: smallest.height })));
      const small = facts.targets.filter((t) => Math.min(t.width, t.height) < minTap);
      if (small.length > 0) {
        const level = side < warnTap ? 'error' : 'warning';
        const data = { viewport: label, count: small.length, targets: small.length === 1 ? 'target is' : 'targets are', min: minTap, what: smallest.what, width: smallest.width, height: smallest.height };
        problems.push({ rule: 'ui/tap-target', level, message: say.text('smallTapTargets', data) });
      }
    }
    if (facts.submit) {
      measurements.push({ name: `${label} decline message`, value: run.messageMs, unit: 'ms' });
      assertions.push(assertion(`${label} decline message`, 'exists', true, run.message ?? undefined, say.text('noMessage', { viewport: label })));
      problems.push(...messageProblems(run, params.messageTimeoutMs));
    }
    if (run.screenshot) artifacts.push({ name: `checkout-${label}.png`, mediaType: 'image/png', data: run.screenshot, description: `the checkout at ${label} after a declined card (card fields blanked)` });
  }
  for (const failure of failures) problems.push({ rule: 'ui/resource', level: 'warning', message: say.text('resourceFailed', { request: failure.request, reason: failure.reason }) });

  const findings: Finding[] = problems.map((p) => ({ rule: p.rule, level: p.level, message: p.message }));
  const values = { message: first?.message ?? null, viewports: runs.map((r) => r.label) };
  const errors = problems.filter((p) => p.level === 'error');
  const shown = errors[0] ?? problems[0];
  if (shown) {
    const rest = (errors.length > 0 ? errors.length : problems.length) - 1;
    const data = { first: shown.message, more: rest > 0 ? ` (and ${rest} more)` : '' };
    const outcome = { assertions, measurements, findings, artifacts, values };
    return errors.length > 0 ? say.outcome('fail', 'unusable', data, outcome) : say.outcome('warn', 'awkward', data, outcome);
  }
  const slowest = Math.max(...runs.map((r) => r.messageMs));
  const data = { viewports: runs.map((r) => r.label).join(', '), seconds: (slowest / 1000).toFixed(1), message: clip(first?.message ?? '', 120) };
  return say.outcome('pass', 'fits', data, { assertions, measurements, findings, artifacts, values });
}

/** Page-level facts (the same at every size): viewport meta, submit control, card fields. */
function pageProblems(facts: PageFacts, problems: Problem[], assertions: Assertion[]): void {
  assertions.push(assertion('viewport meta', 'matches', 'width=device-width', facts.viewportMeta ?? undefined, say.text('noViewportMeta')));
  if (!/width\s*=\s*device-width/i.test(facts.viewportMeta ?? '')) {
    problems.push({ rule: 'ui/viewport-meta', level: 'error', message: say.text('viewportMeta') });
  }
  if (!facts.submit) problems.push({ rule: 'ui/submit', level: 'error', message: say.text('noSubmit') });
  for (const field of facts.fields) {
    const words = FIELD_WORDS[field.field];
    if (!field.found) {
      problems.push({ rule: 'ui/card-field', level: 'error', message: say.text('missingField', { field: words }) });
      continue;
    }
    assertions.push(assertion(`${words} label`, 'exists', true, field.label || undefined, say.text('noLabel', { what: field.what })));
    assertions.push(assertion(`${words} autocomplete`, 'in', AUTOCOMPLETE[field.field], field.autocomplete, say.text('autocompleteIs', { what: field.what, value: field.autocomplete })));
    assertions.push(assertion(`${words} inputmode`, 'eq', 'numeric', field.inputmode, say.text('inputmodeIs', { what: field.what, value: field.inputmode })));
    if (!field.label) problems.push({ rule: 'ui/label', level: 'error', message: say.text('unlabelled', { field: words, what: field.what }) });
    if (!AUTOCOMPLETE[field.field].includes(field.autocomplete)) {
      const data = { field: words, what: field.what, value: field.autocomplete, wanted: AUTOCOMPLETE[field.field][0] ?? '' };
      problems.push({ rule: 'ui/autocomplete', level: 'error', message: say.text('autocomplete', data) });
    }
    if (field.inputmode !== 'numeric') {
      problems.push({ rule: 'ui/inputmode', level: 'error', message: say.text('inputmode', { field: words, what: field.what }) });
    }
  }
}

/** Whether the decline was explained in words a shopper can act on, in time. */
function messageProblems(run: ViewportRun, timeoutMs: number): Problem[] {
  if (run.message === null) {
    const console = run.consoleErrors[0];
    const where = console ? `; it shows only in the browser console ("${clip(console)}")` : '';
    return [{ rule: 'ui/decline-message', level: 'error', message: say.text('noDeclineMessage', { viewport: run.label, seconds: (timeoutMs / 1000).toFixed(1), console: where }) }];
  }
  const text = run.message;
  const verdict = judgeShopperMessage(text);
  if (verdict === 'notSentence') {
    return [{ rule: 'ui/decline-message', level: 'error', message: say.text('declineNotSentence', { viewport: run.label, message: clip(text) }) }];
  }
  if (verdict === 'noGuidance') {
    return [{ rule: 'ui/decline-message', level: 'error', message: say.text('declineNoGuidance', { viewport: run.label, message: clip(text) }) }];
  }
  return [];
}

/** The warm-up's page for `label`, once (a viewport named twice gets a page of its own). */
function takePage(pages: Map<string, Promise<ViewportPage>>, label: string): Promise<ViewportPage> | undefined {
  const page = pages.get(label);
  pages.delete(label);
  return page;
}
