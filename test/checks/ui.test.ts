import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createServer as createHttpServer } from 'node:http';
import { runCheck } from './harness.js';
import { loadCheckType } from '../../src/checks/index.js';
import type { PrepareContext } from '../../src/checks/types.js';
import { BrowserWarmUp, findChromium, launchChromium } from '../../src/checks/ui/browser.js';

function prepareContext(signal = new AbortController().signal): PrepareContext {
  return { checkId: 'test-ui', signal, timeoutMs: 60_000, log: { debug: () => undefined } };
}

/**
 * A merchant's own checkout served by a plain Node HTTP server on loopback: a sound mobile page
 * whose decline message (and control height) the test chooses.
 */
async function checkoutServer(message: string, controlStyle = 'min-height:48px'): Promise<{ url: string; close(): Promise<void> }> {
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{margin:0;font:16px sans-serif} form{padding:16px} input,button{display:block;width:100%;box-sizing:border-box;${controlStyle}}</style></head>
<body><form id="f">
<label for="number">Card number</label><input id="number" autocomplete="cc-number" inputmode="numeric">
<label for="exp">Expiry</label><input id="exp" autocomplete="cc-exp" inputmode="numeric">
<label for="cvc">CVC</label><input id="cvc" autocomplete="cc-csc" inputmode="numeric">
<label for="name">Name</label><input id="name" autocomplete="cc-name">
<div role="alert" id="err"></div><button type="submit">Pay</button></form>
<script>document.getElementById('f').addEventListener('submit', async (e) => { e.preventDefault();
  const r = await fetch('/pay', { method: 'POST' }); if (!r.ok) document.getElementById('err').textContent = ${JSON.stringify(message)}; });</script></body></html>`;
  const server = createHttpServer((req, res) => {
    if (req.url === '/checkout') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    } else {
      req.resume();
      res.writeHead(402, { 'content-type': 'application/json' }).end('{"code":"card_declined"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('ui check against the sandbox checkout page in headless Chromium', () => {
  it('the hosted checkout passes at all four viewports, with a screenshot each', async () => {
    const { outcome, interactions } = await runCheck('ui', { url: '${target.checkoutUrl}' }, { timeoutMs: 60_000 });
    expect(outcome.status, outcome.summary).toBe('pass');
    expect(outcome.message).toMatchObject({ id: 'fits', data: { viewports: '360x640, 390x844, 768x1024, 1280x800', message: 'Your bank declined this payment. Please use a different card or contact your bank.' } });
    expect(outcome.artifacts!.map((a) => [a.name, a.mediaType])).toEqual([
      ['checkout-360x640.png', 'image/png'],
      ['checkout-390x844.png', 'image/png'],
      ['checkout-768x1024.png', 'image/png'],
      ['checkout-1280x800.png', 'image/png'],
    ]);
    for (const artifact of outcome.artifacts!) {
      expect(artifact.data).toBeInstanceOf(Uint8Array);
      expect([...(artifact.data as Uint8Array).subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      // PNG width is the big-endian integer at offset 16.
      const width = Buffer.from(artifact.data as Uint8Array).readUInt32BE(16);
      expect(`checkout-${width}x`).toBe(artifact.name.slice(0, `checkout-${width}x`.length));
    }
    const m = Object.fromEntries(outcome.measurements!.map((x) => [x.name, x.value]));
    expect(m['360x640 document width']).toBeLessThanOrEqual(360);
    expect(m['360x640 smallest tap target']).toBeGreaterThanOrEqual(44);
    expect(outcome.assertions!.every((a) => a.passed)).toBe(true);
    // Every page load and the payment went through the run's HTTP client (and its log).
    expect(interactions.overall.requests).toBeGreaterThanOrEqual(4 * 4);
  });

  it('fault broken-checkout: fails on layout, fields, tap targets and the console-only error', async () => {
    const { outcome } = await runCheck('ui', { url: '${target.checkoutUrl}', viewports: ['360x640', '1280x800'] }, { faults: ['broken-checkout'], timeoutMs: 60_000 });
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatchObject({ id: 'unusable', data: { more: expect.stringMatching(/^ \(and \d+ more\)$/) } });
    expect(outcome.summary).toMatch(/^no <meta name="viewport" content="width=device-width, initial-scale=1">: phones render the page as a shrunken desktop page \(and \d+ more\)$/);
    const rules = new Set(outcome.findings!.map((f) => f.rule));
    expect([...rules].sort()).toEqual(['ui/autocomplete', 'ui/decline-message', 'ui/inputmode', 'ui/label', 'ui/overflow', 'ui/tap-target', 'ui/viewport-meta']);
    const messages = outcome.findings!.map((f) => f.message);
    expect(messages).toContainEqual(expect.stringMatching(/^360x640: the page is 9\d\d px wide in a 360 px viewport and scrolls sideways/));
    expect(messages).toContainEqual(expect.stringMatching(/^the card number field \(input\[name=number\]\) has no label: add a <label for>/));
    expect(messages).toContainEqual(expect.stringMatching(/^360x640: no message within 3\.0 s after a declined card; it shows only in the browser console \("payment failed 402 card_declined"\)/));
    expect(outcome.artifacts).toHaveLength(2);
  });

  it.each([
    ['a bare error code', 'card_declined', /^390x844: the decline message "card_declined" is not a sentence a shopper can read: explain what happened in plain words$/],
    ['a sentence without guidance', 'The payment failed.', /^390x844: the decline message "The payment failed\." does not say what to do next: add guidance such as "use a different card or contact your bank"$/],
  ])('a decline message that is %s fails on that alone', async (_, text, summary) => {
    const server = await checkoutServer(text);
    try {
      const { outcome } = await runCheck('ui', { url: `${server.url}/checkout`, viewports: ['390x844'] }, { timeoutMs: 30_000 });
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toMatchObject({ id: 'unusable', data: { more: '' } });
      expect(outcome.summary).toMatch(summary);
      expect(outcome.findings!.map((f) => f.rule)).toEqual(['ui/decline-message']);
    } finally {
      await server.close();
    }
  });

  it('tap targets between 24 and 44 px are a warning', async () => {
    const server = await checkoutServer('Your card was declined. Please use a different card.', 'min-height:32px');
    try {
      const { outcome } = await runCheck('ui', { url: `${server.url}/checkout`, viewports: ['360x640'] }, { timeoutMs: 30_000 });
      expect(outcome.status).toBe('warn');
      expect(outcome.message).toMatchObject({ id: 'awkward', data: { more: '' } });
      expect(outcome.summary).toMatch(/^360x640: 5 tap targets are under 44x44 px, smallest input#number at 3\d\.?\d*x32 px: make controls at least 44 px high and wide$/);
    } finally {
      await server.close();
    }
  });

  it('without Chromium the check is skip and says how to install it', async () => {
    const { outcome } = await runCheck('ui', { url: '${target.checkoutUrl}', browser: '/nonexistent/chromium' });
    expect(outcome).toEqual({
      status: 'skip',
      summary: 'no browser at /nonexistent/chromium: install Chromium (Debian: sudo apt-get install chromium-headless-shell, or chromium) or set with.browser to its path',
      message: { id: 'noBrowserAt', data: { browser: '/nonexistent/chromium' } },
    });
  });

  it('prepare: Chromium and a blank page per viewport start ahead of the check (in the run\'s quiet), which takes them over (once)', async () => {
    const type = await loadCheckType('ui');
    const params = { url: '${target.checkoutUrl}', viewports: ['360x640', '1280x800'] };
    const prepared = await type.prepare!(params, prepareContext());
    expect(prepared).toBeInstanceOf(BrowserWarmUp);
    try {
      const { outcome } = await runCheck('ui', params, { timeoutMs: 60_000, prepared });
      expect(outcome.status, outcome.summary).toBe('pass');
      expect(outcome.artifacts!.map((a) => a.name)).toEqual(['checkout-360x640.png', 'checkout-1280x800.png']);
      // The run took the warm browser: a retry would launch its own.
      expect(await (prepared as BrowserWarmUp).take((await findChromium())!)).toBeUndefined();
    } finally {
      await prepared!.release();
    }
  });

  it('prepare: a warm browser nobody takes is closed by release; none when the browser is known only at the check\'s turn or missing', async () => {
    const type = await loadCheckType('ui');
    const prepared = (await type.prepare!({ url: 'https://shop.example/checkout' }, prepareContext())) as BrowserWarmUp;
    await prepared.release();
    const warm = await prepared.take((await findChromium())!);
    expect(warm!.launched.browser.isConnected()).toBe(false);
    // The default viewports, as the check would use them.
    expect([...warm!.pages.keys()]).toEqual(['360x640', '390x844', '768x1024', '1280x800']);
    expect(await type.prepare!({ url: 'https://shop.example/checkout', browser: '${env.CHROME}' }, prepareContext())).toBeUndefined();
    expect(await type.prepare!({ url: 'https://shop.example/checkout', browser: '/nonexistent/chromium' }, prepareContext())).toBeUndefined();
  });

  it('the browser closes on the check\'s abort (Ctrl-C, its timeout), its temporary folder with it', async () => {
    const abort = new AbortController();
    const { browser } = await launchChromium((await findChromium())!, abort.signal, 60_000);
    expect(browser.isConnected()).toBe(true);
    abort.abort();
    // Nobody closes it but the abort: the browser disconnects on its own.
    if (browser.isConnected()) await new Promise((resolve) => browser.once('disconnected', resolve));
    expect(browser.isConnected()).toBe(false);
  });

  it('an unreachable page is an error naming the cause', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { outcome } = await runCheck('ui', { url: `http://127.0.0.1:${port}/checkout`, viewports: ['360x640'] }, { timeoutMs: 30_000 });
    expect(outcome.status).toBe('error');
    expect(outcome.message).toEqual({ id: 'notLoaded', data: { viewport: '360x640', path: '/checkout', cause: `connection refused by 127.0.0.1:${port}` } });
  });

  it('a missing page is an error that says to point url at the checkout', async () => {
    const { outcome } = await runCheck('ui', { url: '${target.baseUrl}/no-such-page', viewports: ['360x640'] }, { timeoutMs: 30_000 });
    expect(outcome).toMatchObject({ status: 'error', message: { id: 'notCheckout', data: { viewport: '360x640', path: '/no-such-page', status: 404 } } });
  });
});
