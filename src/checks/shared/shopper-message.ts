/**
 * Whether a message shown to a shopper after a failed payment is one they can act on (guideline
 * 6.2: clear messages and guidance): a sentence in plain words, not a bare code or a JSON body, that
 * says what to do next. Judged the same way on a checkout page (`ui`) and in a merchant's API
 * answer (`integration`).
 */

// Words that tell a shopper what to do next ("use another card", "contact your bank", "try again").
const GUIDANCE = /\b(try|use|check|contact|enter|another|different|again|call|update|verify|choose|select)\b/i;

/** What is wrong with a shopper message, or `ok`. */
export type ShopperMessageVerdict = 'ok' | 'notSentence' | 'noGuidance';

/** Judges a message a shopper was shown after a decline or a refusal. */
export function judgeShopperMessage(text: string): ShopperMessageVerdict {
  const trimmed = text.trim();
  if (trimmed.length < 12 || trimmed.split(/\s+/).length < 3 || /^[\w.:-]+$/.test(trimmed) || /^[{[]/.test(trimmed)) return 'notSentence';
  if (!GUIDANCE.test(trimmed)) return 'noGuidance';
  return 'ok';
}

/** `text` cut to `max` characters with an ellipsis, for quoting in a summary. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}
