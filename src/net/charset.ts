/**
 * Character-set facts of an HTTP body (guideline 1.3: JSON in UTF-8): which charset the
 * Content-Type declares, whether the bytes are valid UTF-8, and the text as a client honouring
 * the declared charset would read it.
 */

/** The `charset` parameter of a Content-Type, lower-case, without quotes; undefined when absent. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/** True when `bytes` is well-formed UTF-8 (no invalid sequences, no lone surrogates). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The body decoded with its declared charset (UTF-8 when none is declared or the label is unknown). */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  const charset = declaredCharset(contentType) ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

/** Hex of the UTF-8 bytes of a string: the evidence of a byte-for-byte comparison. */
export function utf8Hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').replace(/(..)(?!$)/g, '$1 ');
}
