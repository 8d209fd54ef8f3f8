import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { findChromium } from '../../src/checks/ui/browser.js';
import html from '../../src/reporters/html.js';
import { FIXED_REPORT } from './fixed-run.js';
import { fixedContext, PNG_1X1 } from './fixed-context.js';
import { expectMatchesFile } from './expected.js';
import { tempDir } from '../support/temp.js';

let browser: Browser;

beforeAll(async () => {
  // The system Chromium the ui check would use (Debian package; .ci/run installs it). Nothing is downloaded.
  const executablePath = process.env.PAYREADY_CHROMIUM ?? (await findChromium());
  if (!executablePath) throw new Error('no Chromium: sudo apt-get install chromium-headless-shell (Debian), or set PAYREADY_CHROMIUM');
  browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** Opens an HTML file in headless Chromium at a phone-sized viewport; returns what a reader would see and every console error. */
async function open(page: string, width = 375): Promise<{ errors: string[]; requests: string[]; text: string; overflow: number; scripts: number; images: number }> {
  const file = join(tempDir('payready-html-'), 'report.html');
  writeFileSync(file, page);
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const tab = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  tab.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  tab.on('pageerror', (error) => errors.push(error.message));
  tab.on('request', (request) => {
    if (!request.url().startsWith('file:') && !request.url().startsWith('data:')) requests.push(request.url());
  });
  await tab.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  // A string, evaluated in the page (the test code is type-checked without DOM types).
  const facts = (await tab.evaluate(`({
    text: document.body.innerText,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    scripts: document.scripts.length,
    images: [...document.images].filter((img) => img.complete && img.naturalWidth > 0).length,
  })`)) as { text: string; overflow: number; scripts: number; images: number };
  await context.close();
  return { errors, requests, ...facts };
}

describe('html reporter', () => {
  const page = html.render(FIXED_REPORT, fixedContext());

  it('renders one self-contained page (expected output)', () => {
    expectMatchesFile(page, 'report.html');
    expect(page).not.toMatch(/\b(?:src|href)="(?:https?:)?\/\//);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-[A-Za-z0-9+/=]+&#39;; img-src data:; base-uri &#39;none&#39;; form-action &#39;none&#39;">/);
    expect(page).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(page).toContain(`src="data:image/png;base64,${PNG_1X1.toString('base64')}"`);
  });

  it('escapes everything that came from a server', () => {
    expect(page).not.toMatch(/<script|<b>|\u001b|\u0007/);
    expect(page).toContain('Server text &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('x-evil: &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders in headless Chromium with no console error, no request, no script, and fits a phone screen', async () => {
    const seen = await open(page);
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    expect(seen.scripts).toBe(0);
    expect(seen.overflow).toBeLessThanOrEqual(0);
    expect(seen.images).toBe(1);
    expect(seen.text).toMatch(/NOT READY/);
    expect(seen.text).toContain('Server text <script>alert(1)</script>');
    expect(seen.text).toMatch(/waiver EXPIRED on 2026-10-31: it no longer counts/);
    expect(seen.text).toMatch(/Fix these first \(3 blocking\)/);
    expect(seen.text).toMatch(/all calls\s+10\s+90%/);
  }, 60_000);

  it('the console check is real: the CSP blocks an injected script and Chromium reports it', async () => {
    const seen = await open(page.replace('</body>', '<script>document.title = "owned"</script></body>'));
    expect(seen.errors.join('\n')).toMatch(/Content Security Policy/);
  }, 60_000);

  it('renders a report with no interactions and no artifacts (no histogram, evidence listed only)', async () => {
    const bare = html.render(FIXED_REPORT, {});
    expect(bare).not.toContain('<svg');
    const seen = await open(bare, 1280);
    expect(seen.errors).toEqual([]);
    expect(seen.text).toContain('transcript.http');
  }, 60_000);
});
