import type { Browser } from 'playwright-core';
import { assertion } from '../../model/operators.js';
import { legacyCheck, type CheckContext } from '../types.js';
import type { Artifact, Assertion, Finding, Measurement, Outcome } from '../../model/outcome.js';
import { inspectPage, liveMessage, type FieldFacts, type PageFacts } from './audit.js';
import { CHROMIUM_INSTALL_HINT, findChromium, launchChromium, routeThrough, type FailedLoad, type LaunchedBrowser } from './browser.js';

/** The card the check pays with: one the provider declines. */
interface TestCardParams {
  /** Card number (a decline test card of the provider). */
  number: string;
  /** MM/YY; default: December three years ahead. */
  expiry?: string;
  /** Security code. */
  cvc: string;
  /** Name on the card. */
  name: string;
}

/** Parameters of the `ui` check type. */
export interface UiParams {
  /** URL of the checkout page. */
  url: string;
  /** Viewports as `WIDTHxHEIGHT` (CSS px). */
  viewports: string[];
  /** CSS selector of the payment form. */
  form: string;
  /** The declined test card to submit. */
  card: TestCardParams;
  /** How long the decline message may take after submitting (ms). */
  messageTimeoutMs: number;
  /** Smallest tap target that passes (CSS px). */
  minTapTarget: number;
  /** Below this a tap target fails; between it and `minTapTarget` it warns. */
  warnTapTarget: number;
  /** Chromium executable; default the first of the usual paths that exists. */
  browser?: string;
  /** Take one PNG screenshot per viewport as evidence. */
  screenshots: boolean;
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

const DEFAULT_VIEWPORTS = ['360x640', '390x844', '768x1024', '1280x800'];
// Phones and tablets get a touch screen and honour the viewport meta; the laptop size does not.
const MOBILE_BELOW = 1024;
const GUIDANCE = /\b(try|use|check|contact|enter|another|different|again|call|update|verify|choose|select)\b/i;
const FIELD_WORDS = { number: 'card number', expiry: 'expiry date', cvc: 'security code' } as const;
const AUTOCOMPLETE: Record<FieldFacts['field'], string[]> = { number: ['cc-number'], expiry: ['cc-exp', 'cc-exp-month'], cvc: ['cc-csc'] };

export default legacyCheck<UiParams>({
  name: 'ui',
  description: 'The checkout page in headless Chromium at phone, tablet and laptop sizes: viewport meta, no sideways scrolling, tap targets, labelled card fields with autocomplete and a numeric keypad, a clear message for a declined card; one screenshot per viewport.',
  // A simple checkout that works on phones (6.1), a decline message that is clear and says what
  // to do next (6.2).
  items: ['6.1.a', '6.1.b', '6.2.a', '6.2.b'],
  // It submits a card on the checkout page: against a live shop that is a real payment attempt.
  writes: (params) => [{ method: 'a card submitted on the checkout form at', url: String(params.url ?? ''), param: 'card' in params ? 'card' : 'url' }],
  writesWhen: 'always (it submits a card on the checkout form)',
  // A browser takes the CPU for seconds: beside the API checks it would skew their timings.
  runsLast: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['url'],
    properties: {
      url: { type: 'string', minLength: 1, description: 'URL of the checkout page, e.g. ${target.checkoutUrl}.' },
      viewports: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[1-9][0-9]{1,3}x[1-9][0-9]{1,3}$' }, default: DEFAULT_VIEWPORTS, description: 'Viewports as WIDTHxHEIGHT in CSS px; below 1024 wide they are touch screens.' },
      form: { type: 'string', minLength: 1, default: 'form', description: 'CSS selector of the payment form.' },
      card: {
        type: 'object',
        additionalProperties: false,
        default: { number: '4000000000000002', cvc: '123', name: 'Ada Lovelace' },
        description: 'The declined test card the check submits (the sandbox declines 4000 0000 0000 0002).',
        properties: {
          number: { type: 'string', pattern: '^[0-9 -]{12,23}$', default: '4000000000000002', description: 'A test card the provider declines.' },
          expiry: { type: 'string', pattern: '^[0-9]{2}/[0-9]{2}$', description: 'MM/YY; default December three years ahead.' },
          cvc: { type: 'string', pattern: '^[0-9]{3,4}$', default: '123', description: 'Security code.' },
          name: { type: 'string', default: 'Ada Lovelace', description: 'Name on the card.' },
        },
      },
      messageTimeoutMs: { type: 'integer', minimum: 100, default: 3000, description: 'How long the decline message may take to appear after submitting.' },
      minTapTarget: { type: 'number', minimum: 1, default: 44, description: 'Smallest tap target (CSS px, both sides) that passes.' },
      warnTapTarget: { type: 'number', minimum: 1, default: 24, description: 'Below this a tap target fails; between this and minTapTarget it warns.' },
      browser: { type: 'string', minLength: 1, description: 'Chromium executable; default /usr/bin/chromium or another usual path.' },
      screenshots: { type: 'boolean', default: true, description: 'One PNG screenshot per viewport as evidence (card fields blanked).' },
    },
  },
  values: { message: 'the decline message shown (first viewport)', viewports: 'viewports checked' },
  example: { url: '${target.checkoutUrl}', viewports: DEFAULT_VIEWPORTS },

  async run(params, ctx): Promise<Outcome> {
    const executable = await findChromium(params.browser);
    if (!executable) {
      return { status: 'skip', summary: `${params.browser ? `no browser at ${params.browser}` : 'Chromium is not installed'}: ${CHROMIUM_INSTALL_HINT}` };
    }
    const started = ctx.clock.monotonic();
    let launched: LaunchedBrowser;
    try {
      launched = await launchChromium(executable, ctx.signal, ctx.timeoutMs);
    } catch (err) {
      return { status: 'error', summary: `Chromium (${executable}) did not start: ${firstLine(err)}` };
    }
    const measurements: Measurement[] = [{ name: 'browser start', value: ctx.clock.monotonic() - started, unit: 'ms' }];
    const runs: ViewportRun[] = [];
    const failures: FailedLoad[] = [];
    try {
      // The viewports load side by side (one context each): the waits for a message overlap.
      const visits = await Promise.all((params.viewports ?? DEFAULT_VIEWPORTS).map((label) => visit(launched.browser, label, params, ctx, failures)));
      for (const run of visits) {
        if ('error' in run) return { status: 'error', summary: run.error, measurements };
        runs.push(run);
      }
    } finally {
      await launched.close();
    }
    return conclude(runs, failures, params, measurements);
  },
});

/** Loads the page at one viewport, inspects it, submits the declined card and takes the screenshot. */
async function visit(browser: Browser, label: string, params: UiParams, ctx: CheckContext, failures: FailedLoad[]): Promise<ViewportRun | { error: string }> {
  const [width = 0, height = 0] = label.split('x').map(Number);
  const mobile = width < MOBILE_BELOW;
  const context = await browser.newContext({ viewport: { width, height }, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1, serviceWorkers: 'block', locale: 'en-US' });
  try {
    // The check submits a declined test card on purpose: its 402 (or 422) is not an API error.
    await routeThrough(context, ctx.http, failures, [402, 422]);
    const page = await context.newPage();
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
      return { error: `${label}: ${pathOf(params.url)} did not load: ${cause}` };
    }
    if (response && response.status() >= 400) return { error: `${label}: GET ${pathOf(params.url)} answered ${response.status()}: point url at the checkout page` };

    const facts = await page.evaluate(inspectPage, params.form ?? 'form');
    const card = params.card ?? { number: '4000000000000002', cvc: '123', name: 'Ada Lovelace' };
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
        const handle = await page.waitForFunction(liveMessage, undefined, { timeout: params.messageTimeoutMs ?? 3000, polling: 50 });
        message = (await handle.jsonValue()) as string | null;
      } catch {
        message = null; // nothing within the time a shopper waits
      }
      messageMs = ctx.clock.monotonic() - clicked;
    }
    let screenshot: Uint8Array | undefined;
    if (params.screenshots ?? true) {
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
function conclude(runs: ViewportRun[], failures: FailedLoad[], params: UiParams, measurements: Measurement[]): Outcome {
  const problems: Problem[] = [];
  const assertions: Assertion[] = [];
  const artifacts: Artifact[] = [];
  const minTap = params.minTapTarget ?? 44;
  const warnTap = params.warnTapTarget ?? 24;
  const first = runs[0];
  if (first) pageProblems(first.facts, problems, assertions);

  for (const run of runs) {
    const { facts, label, width } = run;
    assertions.push(assertion(`${label} document width`, 'le', width, facts.scrollWidth, `${label}: the page is ${facts.scrollWidth} px wide`));
    measurements.push({ name: `${label} document width`, value: facts.scrollWidth, unit: 'px' });
    if (facts.scrollWidth > width + 1) {
      problems.push({ rule: 'ui/overflow', level: 'error', message: `${label}: the page is ${facts.scrollWidth} px wide in a ${width} px viewport and scrolls sideways: use a fluid layout (max-width, %, flex) instead of fixed widths` });
    }
    const smallest = [...facts.targets].sort((a, b) => Math.min(a.width, a.height) - Math.min(b.width, b.height))[0];
    if (smallest) {
      const side = Math.min(smallest.width, smallest.height);
      measurements.push({ name: `${label} smallest tap target`, value: side, unit: 'px' });
      assertions.push(assertion(`${label} smallest tap target`, 'ge', minTap, side, `${label}: ${smallest.what} is ${smallest.width}x${smallest.height} px`));
      const small = facts.targets.filter((t) => Math.min(t.width, t.height) < minTap);
      if (small.length > 0) {
        const level = side < warnTap ? 'error' : 'warning';
        problems.push({ rule: 'ui/tap-target', level, message: `${label}: ${small.length} tap ${small.length === 1 ? 'target is' : 'targets are'} under ${minTap}x${minTap} px, smallest ${smallest.what} at ${smallest.width}x${smallest.height} px: make controls at least ${minTap} px high and wide` });
      }
    }
    if (facts.submit) {
      measurements.push({ name: `${label} decline message`, value: run.messageMs, unit: 'ms' });
      assertions.push(assertion(`${label} decline message`, 'exists', true, run.message ?? undefined, `${label}: no message`));
      problems.push(...messageProblems(run, params.messageTimeoutMs ?? 3000));
    }
    if (run.screenshot) artifacts.push({ name: `checkout-${label}.png`, mediaType: 'image/png', data: run.screenshot, description: `the checkout at ${label} after a declined card (card fields blanked)` });
  }
  for (const failure of failures) problems.push({ rule: 'ui/resource', level: 'warning', message: `${failure.request} failed: ${failure.reason}` });

  const findings: Finding[] = problems.map((p) => ({ rule: p.rule, level: p.level, message: p.message }));
  const values = { message: first?.message ?? null, viewports: runs.map((r) => r.label) };
  const errors = problems.filter((p) => p.level === 'error');
  const shown = errors[0] ?? problems[0];
  if (shown) {
    const rest = (errors.length > 0 ? errors.length : problems.length) - 1;
    return { status: errors.length > 0 ? 'fail' : 'warn', summary: `${shown.message}${rest > 0 ? ` (and ${rest} more)` : ''}`, assertions, measurements, findings, artifacts, values };
  }
  const slowest = Math.max(...runs.map((r) => r.messageMs));
  return {
    status: 'pass',
    summary: `checkout fits ${runs.map((r) => r.label).join(', ')}; labelled card fields with autocomplete; decline explained within ${(slowest / 1000).toFixed(1)} s: "${clip(first?.message ?? '', 120)}"`,
    assertions,
    measurements,
    findings,
    artifacts,
    values,
  };
}

/** Page-level facts (the same at every size): viewport meta, submit control, card fields. */
function pageProblems(facts: PageFacts, problems: Problem[], assertions: Assertion[]): void {
  assertions.push(assertion('viewport meta', 'matches', 'width=device-width', facts.viewportMeta ?? undefined, 'no viewport meta with width=device-width'));
  if (!/width\s*=\s*device-width/i.test(facts.viewportMeta ?? '')) {
    problems.push({ rule: 'ui/viewport-meta', level: 'error', message: `no <meta name="viewport" content="width=device-width, initial-scale=1">: phones render the page as a shrunken desktop page` });
  }
  if (!facts.submit) problems.push({ rule: 'ui/submit', level: 'error', message: 'no submit button in the payment form: the check could not pay' });
  for (const field of facts.fields) {
    const words = FIELD_WORDS[field.field];
    if (!field.found) {
      problems.push({ rule: 'ui/card-field', level: 'error', message: `no ${words} field in the payment form` });
      continue;
    }
    assertions.push(assertion(`${words} label`, 'exists', true, field.label || undefined, `${field.what} has no label`));
    assertions.push(assertion(`${words} autocomplete`, 'in', AUTOCOMPLETE[field.field], field.autocomplete, `${field.what} autocomplete is "${field.autocomplete}"`));
    assertions.push(assertion(`${words} inputmode`, 'eq', 'numeric', field.inputmode, `${field.what} inputmode is "${field.inputmode}"`));
    if (!field.label) problems.push({ rule: 'ui/label', level: 'error', message: `the ${words} field (${field.what}) has no label: add a <label for> (a placeholder is not a label)` });
    if (!AUTOCOMPLETE[field.field].includes(field.autocomplete)) {
      problems.push({ rule: 'ui/autocomplete', level: 'error', message: `the ${words} field (${field.what}) has autocomplete="${field.autocomplete}": set autocomplete="${AUTOCOMPLETE[field.field][0]}" so browsers can fill it` });
    }
    if (field.inputmode !== 'numeric') {
      problems.push({ rule: 'ui/inputmode', level: 'error', message: `the ${words} field (${field.what}) has no inputmode="numeric": phones show a full keyboard for digits` });
    }
  }
}

/** Whether the decline was explained in words a shopper can act on, in time. */
function messageProblems(run: ViewportRun, timeoutMs: number): Problem[] {
  if (run.message === null) {
    const console = run.consoleErrors[0];
    const where = console ? `; it shows only in the browser console ("${clip(console)}")` : '';
    return [{ rule: 'ui/decline-message', level: 'error', message: `${run.label}: no message within ${(timeoutMs / 1000).toFixed(1)} s after a declined card${where}: show the reason and what to do in a role="alert" region` }];
  }
  const text = run.message;
  if (text.length < 12 || text.split(/\s+/).length < 3 || /^[\w.:-]+$/.test(text) || /^[{[]/.test(text)) {
    return [{ rule: 'ui/decline-message', level: 'error', message: `${run.label}: the decline message "${clip(text)}" is not a sentence a shopper can read: explain what happened in plain words` }];
  }
  if (!GUIDANCE.test(text)) {
    return [{ rule: 'ui/decline-message', level: 'error', message: `${run.label}: the decline message "${clip(text)}" does not say what to do next: add guidance such as "use a different card or contact your bank"` }];
  }
  return [];
}

function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // playwright appends call logs after the first line; the first says what happened.
  return (message.split('\n').find((line) => line.trim() !== '') ?? message).replace(/^\S+: /, '').trim();
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
