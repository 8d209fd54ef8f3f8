import type { Server as HttpsServer } from 'node:https';
import type { SecureContextOptions } from 'node:tls';
import type { TrackedServer } from '../server.js';
import { mintCertificateAuthority, mintServerCertificate, type CertificateAuthority, type ServerCertificateOptions } from '../transport/certs.js';
import { LEGACY_TLS, WRONG_HOSTNAME } from '../transport/faults.js';
import type { SandboxTlsOptions } from '../transport/tls-config.js';
import { TLS_MODES, type TlsMode } from '../../providers/control-api.js';

export { TLS_MODES, type TlsMode } from '../../providers/control-api.js';

/** Whether `value` names a TLS mode. */
export function isTlsMode(value: unknown): value is TlsMode {
  return typeof value === 'string' && (TLS_MODES as readonly string[]).includes(value);
}

/** How the HTTPS API was started: its certificate, CA and TLS settings (the `normal` mode). */
export interface TlsSetup {
  /** The HTTPS API server. */
  api: TrackedServer;
  /** The CA clients trust. */
  ca: CertificateAuthority;
  /** The server certificate's names and validity. */
  certificate: ServerCertificateOptions;
  /** Key and certificate served normally. */
  keyPem: string;
  certPem: string;
  /** Versions and ciphers served normally (faults included). */
  tls: SandboxTlsOptions;
}

/**
 * Server-wide TLS misbehaviour on demand: swaps the HTTPS server's secure context (new
 * handshakes use it) and closes every open API connection, so keep-alive cannot dodge it. The
 * certificates are minted the way the certificate faults mint theirs (certs.ts), once per mode.
 */
export class TlsModes {
  private current: TlsMode = 'normal';
  private readonly contexts = new Map<TlsMode, Promise<SecureContextOptions>>();

  constructor(private readonly setup: TlsSetup) {}

  /** The mode new connections get. */
  get mode(): TlsMode {
    return this.current;
  }

  /** Switches new connections to `mode` and drops the open ones. */
  async set(mode: TlsMode): Promise<void> {
    const options = await this.contextFor(mode);
    (this.setup.api.server as HttpsServer).setSecureContext(options);
    this.current = mode;
    this.setup.api.destroySockets();
  }

  private contextFor(mode: TlsMode): Promise<SecureContextOptions> {
    let context = this.contexts.get(mode);
    if (!context) {
      context = this.mint(mode);
      // A failed mint must not stick: the next PUT tries again.
      context.catch(() => this.contexts.delete(mode));
      this.contexts.set(mode, context);
    }
    return context;
  }

  private async mint(mode: TlsMode): Promise<SecureContextOptions> {
    const { ca, certificate, keyPem, certPem, tls } = this.setup;
    const base = { minVersion: tls.minVersion, ciphers: tls.ciphers, honorCipherOrder: tls.honorCipherOrder };
    switch (mode) {
      case 'normal':
        return { key: keyPem, cert: certPem, ...base };
      case 'untrusted': {
        // The same names and dates, signed by a CA that exists only here: nobody trusts it.
        const stranger = await mintCertificateAuthority('payready untrusted CA');
        const leaf = await mintServerCertificate(stranger, certificate);
        return { key: leaf.keyPem, cert: leaf.certPem, ...base };
      }
      case 'wrong-host': {
        // Trusted chain, valid dates, another name only (as the `wrong-host-cert` fault serves).
        const leaf = await mintServerCertificate(ca, { ...certificate, hostnames: [WRONG_HOSTNAME] });
        return { key: leaf.keyPem, cert: leaf.certPem, ...base };
      }
      case 'tls1.1':
        // TLS 1.1 at most, with the legacy settings the `legacy-tls` fault uses.
        return { key: keyPem, cert: certPem, ...base, ...LEGACY_TLS, maxVersion: 'TLSv1.1' };
    }
  }
}
