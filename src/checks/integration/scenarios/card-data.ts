import { readFile } from 'node:fs/promises';
import { PanScanner, type PanHit } from '../../../scan/pan.js';
import { maskPan } from '../../../scan/cards.js';
import type { Params } from '../params.js';
import type { Trial } from '../trial.js';

/**
 * Card data (PCI DSS): where the profile expects a token, no whole card number is sent to the
 * provider; and none is in the merchant's output or log files after a payment.
 */
export async function cardData(trial: Trial, params: Params, output: () => string): Promise<void> {
  const record = await trial.place('', trial.shop.order('card-data', params.amount), { kind: 'normal' });
  const raw = record.requests.filter((r) => r.rawCard);
  trial.expect(record, 'provider.rawCard', raw.length === 0, 'a token, never a card number', raw.length, `the merchant sent a whole card number to the provider (${raw.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}): send the provider's token (${record.order.paymentMethod}); card numbers must not pass through your servers`);
  trial.expectSucceeded(record);
  const sources: [string, string][] = [['its output', output()]];
  for (const file of trial.shop.config.logs) {
    try {
      sources.push([file, await readFile(file, 'utf8')]);
    } catch (error) {
      trial.notes.push(`log file ${file} could not be read (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  for (const [where, text] of sources) {
    const hits: PanHit[] = [];
    const scanner = new PanScanner((hit) => hits.push(hit));
    scanner.feed(Buffer.from(text, 'utf8'));
    scanner.end();
    const first = hits[0];
    trial.expect(record, `merchant.pan:${where}`, hits.length === 0, 'no card number', hits.length, first ? `the merchant's ${where === 'its output' ? 'output' : `log ${where}`} holds ${hits.length} whole card number(s), the first ${maskPan(first.digits)} at line ${first.line}: log first six/last four at most` : '');
  }
}
