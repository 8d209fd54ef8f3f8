import { freePort } from '../conformance/server-process.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/model/report.js';
import { runInProcess } from './in-process.js';
import { cliEnv, stackTraceIn, tempDir } from './helpers.js';

/**
 * A shop that hangs (found by trying the mode as a new user would): the order that got no answer is
 * named with the evidence kept, and a check that timed out mid-order does not leave the sandbox
 * misbehaving for the checks after it.
 */

// A shop in one file: it pays with one PaymentIntent (plain https, trusting the sandbox's CA) and
// answers; when the provider cannot be reached it never answers the shopper (the defect).
const SHOP = `
const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const base = new URL(process.env.STRIPE_API_BASE);
const ca = fs.readFileSync(process.env.STRIPE_CA_FILE);
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const order = JSON.parse(body);
    const form = new URLSearchParams({ amount: String(order.amount), currency: order.currency.toLowerCase(), payment_method: order.paymentMethod, confirm: 'true', 'metadata[order_id]': order.orderId }).toString();
    const call = https.request({ host: base.hostname, port: base.port, path: '/v1/payment_intents', method: 'POST', ca, headers: { authorization: 'Bearer ' + process.env.STRIPE_SECRET_KEY, 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': 'order-' + order.orderId } }, (answer) => {
      let text = '';
      answer.on('data', (d) => (text += d));
      answer.on('end', () => {
        const intent = JSON.parse(text);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: intent.status === 'succeeded' ? 'paid' : 'failed', paymentId: intent.id, message: 'Thank you, your payment succeeded.' }));
      });
    });
    call.on('error', (error) => console.log('provider unreachable: ' + error.message + '; the shopper waits forever'));
    call.end(form);
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
`;


async function run(checks: string): Promise<{ code: number | null; report: Report; dir: string }> {
  const dir = tempDir('payready-integration-hang-');
  writeFileSync(join(dir, 'shop.js'), SHOP);
  const port = await freePort();
  writeFileSync(
    join(dir, 'suite.yaml'),
    `suite: hang\ntitle: A shop that hangs\nenvironments:\n  sandbox:\n    embedded: { provider: stripe }\nintegration:\n  url: http://127.0.0.1:${port}\n  start:\n    command: node shop.js\n    env:\n      PORT: ${port}\n      STRIPE_SECRET_KEY: \${target.apiKey}\n      STRIPE_API_BASE: \${target.baseUrl}\n      STRIPE_CA_FILE: \${target.caFile}\n    ready: /health\nchecks:\n${checks}`,
  );
  const result = await runInProcess(['run', join(dir, 'suite.yaml'), '--out', join(dir, 'out')], { env: cliEnv() });
  expect(stackTraceIn(result.stdout + result.stderr), result.stdout).toBeUndefined();
  return { code: result.code, report: JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as Report, dir };
}

describe('a shop that never answers', () => {
  it.concurrent('names the order it did not answer, within payTimeoutMs, with the orders and its output as evidence', async () => {
    const { code, report } = await run('  - { id: shop-tls, type: integration, section: "2.1", with: { scenario: tls, modes: [untrusted], payTimeoutMs: 1000 } }\n');
    expect(code).toBe(1);
    const tls = report.results.find((r) => r.id === 'shop-tls')!;
    expect(tls.status).toBe('fail');
    expect(tls.summary).toMatch(/order pr-tls-untrusted-[0-9a-f]{8} \(a certificate from an authority nobody trusts\): the merchant did not answer the shopper: no answer within 1 s \(payTimeoutMs\)/);
    expect(tls.artifacts?.map((a) => a.name).sort()).toEqual(['merchant-output.txt', 'orders.json']);
  });

  it.concurrent('a check that times out mid-order leaves the sandbox behaving for the next check', async () => {
    const { report } = await run(
      '  - { id: shop-tls, type: integration, section: "2.1", timeout: 2s, with: { scenario: tls, modes: [untrusted], payTimeoutMs: 60000 } }\n' +
        '  - { id: shop-happy, type: integration, section: "5.2", with: { scenario: happy-path } }\n',
    );
    expect(report.results.find((r) => r.id === 'shop-tls')?.status).toBe('error');
    const happy = report.results.find((r) => r.id === 'shop-happy')!;
    expect(happy.summary).toMatch(/shopper told HTTP 200 "paid"/);
  });
});
