import type { Artifact } from '../../src/model/outcome.js';
import { InteractionLog } from '../../src/model/interactions.js';
import type { RenderContext } from '../../src/reporters/types.js';

/** A 1x1 PNG, the smallest screenshot there is. */
export const PNG_1X1 = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** Artifact bytes and interaction aggregates that go with FIXED_REPORT (deterministic). */
export function fixedContext(): RenderContext {
  const interactions = new InteractionLog();
  const latencies = [0.8, 1.1, 1.2, 1.9, 2.5, 3.1, 3.3, 4.7, 8.2, 12.01];
  latencies.forEach((durationMs, i) => {
    const endpoint = i % 2 ? '/v1/payments' : '/oauth/token';
    interactions.record({ time: '2026-11-29T10:00:00.000Z', checkId: 'payments-require-auth', method: 'POST', url: `https://127.0.0.1:8443${endpoint}`, endpoint, status: i === 9 ? 503 : 200, durationMs, bytesOut: 10, bytesIn: 20 });
  });
  const transcript: Artifact = {
    name: 'transcript.http',
    mediaType: 'message/http',
    data: 'POST /v1/payments HTTP/1.1\nauthorization: [REDACTED]\n\nHTTP/1.1 201 Created\nx-evil: <script>alert(1)</script>\u001b[31m\n\n{"status":"authorised"}',
    description: 'POST /v1/payments request and response',
  };
  const screenshot: Artifact = { name: 'checkout.png', mediaType: 'image/png', data: new Uint8Array(PNG_1X1) };
  return { interactions, artifacts: new Map([['payments-require-auth', [transcript, screenshot]]]) };
}
