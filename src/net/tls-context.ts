import { createSecureContext, rootCertificates, type SecureContext, type SecureContextOptions } from 'node:tls';

interface NativeContext {
  addCACert?: (pem: string) => void;
}

/**
 * A TLS context trusting the system roots plus `extraCa`. Passing `ca: [...rootCertificates,
 * ...extra]` makes OpenSSL parse ~140 roots for every context (~20 ms of CPU each, and undici
 * builds one per connection), so the context starts from Node's shared root store and only the
 * extra CAs are added, as `createSecureContext` itself does per CA. If that hook is ever missing,
 * it falls back to listing every root.
 */
export function trustingContext(extraCa: readonly string[], options: SecureContextOptions = {}): SecureContext {
  const context = createSecureContext(options);
  if (extraCa.length === 0) return context;
  const native = (context as unknown as { context?: NativeContext }).context;
  if (typeof native?.addCACert !== 'function') return createSecureContext({ ...options, ca: [...rootCertificates, ...extraCa] });
  for (const pem of extraCa) native.addCACert(pem);
  return context;
}
