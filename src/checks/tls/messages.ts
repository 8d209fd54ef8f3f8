import type { Messages } from '../../model/messages.js';

/** Every summary, problem and assertion message the `tls` type can produce. */
export const messages = {
  secure: { status: 'pass', text: '{label}: {parts}' },
  weak: {
    status: 'fail',
    text: '{first}{more}',
    fix: 'Fix each problem (the summary names the first and counts the rest; the assertions list them all).',
  },
  undecided: {
    status: 'error',
    text: '{label}: {first}{more}',
    fix: 'Rerun when the host answers every probe (the summary names the first probe that got no answer and why).',
  },
  unreachable: {
    status: 'error',
    text: '{label}: {cause}',
    fix: 'Make the host resolvable and the port reachable from where payready runs (the cause quotes the network error).',
  },
  caUnreadable: {
    status: 'error',
    text: '{label}: cannot read the ca file {file}: {reason}',
    fix: 'Point `ca` at a regular PEM file; a relative path is read from the suite file\'s folder.',
  },
  caNotPem: {
    status: 'error',
    text: '{label}: the ca file {file} holds no PEM certificate',
    fix: 'Give `ca` a PEM file (`-----BEGIN CERTIFICATE-----`); convert a DER file with `openssl x509 -inform der -in ca.der -out ca.pem`.',
  },

  // Problems: each is an assertion message, and the first one found is the `weak` summary.
  legacyVersions: {
    status: 'fail',
    text: '{old} accepted on {label}: disable {old} (accept {min} and newer only)',
    fix: 'Disable TLS 1.0 and 1.1 (nginx `ssl_protocols TLSv1.2 TLSv1.3;`), or whatever is below `minVersion`.',
  },
  noModernVersion: {
    status: 'fail',
    text: '{label} accepts no {min} or newer handshake{why}: enable TLS 1.2 and 1.3',
    fix: 'Enable TLS 1.2 and 1.3 on the server.',
  },
  noHandshake: {
    status: 'fail',
    text: '{label} completes no TLS handshake ({reason}): serve TLS 1.2 or newer',
    fix: 'Serve TLS 1.2 or newer on the port (check that it speaks TLS at all).',
  },
  weakCiphers: {
    status: 'fail',
    text: '{label} accepts {classes} cipher suites ({listed}): remove them from the server\'s cipher list',
    fix: 'Remove NULL, anonymous, EXPORT, RC4, DES and 3DES suites from the server\'s cipher list (e.g. the Mozilla "intermediate" configuration).',
  },
  chainUntrusted: {
    status: 'fail',
    text: 'the certificate chain of {label} is not trusted ({reason}): serve the full chain from a trusted CA, or add a private CA with ca:',
    fix: 'Serve the leaf with its intermediates, issued by a public CA; for a private CA, give its certificate with `ca`.',
  },
  chainUntrustedInsecure: {
    status: 'warn',
    text: 'the certificate chain of {label} is not trusted ({reason}): serve the full chain from a trusted CA, or add a private CA with ca: (the environment has insecure: true)',
    fix: 'Serve a chain clients trust, then drop `insecure: true` from the environment.',
  },
  wrongHost: {
    status: 'fail',
    text: 'the certificate of {label} is for {names}, not {servername}: issue it for {servername}',
    fix: 'Issue the certificate with the host name in its subjectAltName (or set `servername` to the name clients use).',
  },
  expired: {
    status: 'fail',
    text: 'the certificate of {label} expired on {day}: renew it',
    fix: 'Renew the certificate, and automate renewal (ACME) so it cannot lapse again.',
  },
  expiresSoon: {
    status: 'fail',
    text: 'the certificate of {label} expires in {days} ({day}), under the {min} required: renew it',
    fix: 'Renew the certificate before fewer than `minDaysToExpiry` days remain (30 by default).',
  },
  notYetValid: {
    status: 'fail',
    text: 'the certificate of {label} is not valid before {day}: check the server clock or the certificate dates',
    fix: 'Check the clocks of the server and of the issuing CA, or serve a certificate already valid.',
  },
  weakKey: {
    status: 'fail',
    text: 'the certificate of {label} has a weak key: {reason}; reissue it with a stronger key',
    fix: 'Reissue the certificate with an RSA key of at least 2048 bits or an EC key on P-256 or better.',
  },
  weakSignature: {
    status: 'fail',
    text: '{label} serves certificates signed with a broken hash: {certs}; reissue them with SHA-256 or better',
    fix: 'Reissue every certificate signed with MD5 or SHA-1 with a SHA-256 (or better) signature.',
  },
  plainHttp: {
    status: 'fail',
    text: 'plain HTTP on {host}:{port} {seen}: redirect every http:// request to https:// or close port {port}',
    fix: 'Redirect every http:// request to https:// (301/308), or close the plain-HTTP port.',
  },

  // Probes that got no answer: the first one is the `undecided` summary.
  versionUnprobed: {
    status: 'error',
    text: '{version} could not be probed ({cause})',
    fix: 'Rerun when the host answers; the cause quotes the network error.',
  },
  ciphersUnprobed: {
    status: 'error',
    text: '{weakClass} suites could not be probed ({cause})',
    fix: 'Rerun when the host answers; the cause quotes the network error.',
  },
  plainHttpUndecided: {
    status: 'error',
    text: 'plain HTTP port {port}: {seen}',
    fix: 'Rerun when the plain-HTTP port answers or refuses clearly, or check `httpPort`.',
  },
} as const satisfies Messages;
