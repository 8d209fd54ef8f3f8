import { EMBEDDED_TARGET_FIELD_DOCS, EMBEDDED_TARGET_FIELDS } from './embedded.js';
import { closest } from '../text.js';

/*
 * The keys an entry of `environments:` may have. A rule a reader can hold: the flags, the target
 * fields payready knows (the ones the embedded sandbox fills, so a check reads `${target.tokenUrl}`
 * against either), and `fields:` for the suite's own values. Anything else is a typo or a name
 * from elsewhere (`caFile`, printed by `payready sandbox`) that would otherwise be silently ignored.
 */

/** Keys with a meaning of their own; every other key is a `${target.x}` field. */
export const ENVIRONMENT_FLAGS = ['embedded', 'sandbox', 'insecure', 'ca'] as const;

/** The key of the map that holds a suite's own `${target.x}` values. */
export const CUSTOM_FIELDS_KEY = 'fields';

/** Target fields an environment may declare by name: those the embedded sandbox fills, but its CA file (written `ca:`). */
export const TARGET_FIELDS: readonly string[] = EMBEDDED_TARGET_FIELDS.filter((name) => name !== 'caFile');

/** What each known target field holds (schema descriptions, editor completion). */
export const TARGET_FIELD_DOCS: Readonly<Record<string, string>> = Object.fromEntries(TARGET_FIELDS.map((name) => [name, EMBEDDED_TARGET_FIELD_DOCS[name] ?? '']));

/** Every key an environment may have. */
export const ENVIRONMENT_KEYS: readonly string[] = [...ENVIRONMENT_FLAGS, ...TARGET_FIELDS, CUSTOM_FIELDS_KEY];

// Names other tools (and the sandbox's own output) use for a known key; lower-cased. Edit
// distance cannot find these: "caFile" is four edits from "ca".
const ALIASES: Readonly<Record<string, string>> = {
  cafile: 'ca',
  ca_file: 'ca',
  cacert: 'ca',
  ca_cert: 'ca',
  cacerts: 'ca',
  capath: 'ca',
  cabundle: 'ca',
  insecureskipverify: 'insecure',
  skipverify: 'insecure',
  skiptlsverify: 'insecure',
  rejectunauthorized: 'insecure',
  url: 'baseUrl',
  base_url: 'baseUrl',
  hostname: 'host',
  token_url: 'tokenUrl',
  tokenendpoint: 'tokenUrl',
  token_endpoint: 'tokenUrl',
  issuerurl: 'issuer',
  openapi: 'openapiUrl',
  live: 'sandbox',
};

/** The known key `key` most likely meant, by alias or by a small typo. */
export function meantEnvironmentKey(key: string): string | undefined {
  return ALIASES[key.toLowerCase()] ?? closest(key, ENVIRONMENT_KEYS);
}

/** The hint for an unknown environment key: what was meant, or where the suite's own values go. */
export function environmentKeyHint(key: string): string {
  const meant = meantEnvironmentKey(key);
  if (meant === 'insecure' && key.toLowerCase() === 'rejectunauthorized') return 'did you mean "insecure"? write insecure: true to turn TLS verification off';
  if (meant === 'sandbox' && key.toLowerCase() === 'live') return 'did you mean "sandbox"? write sandbox: false for a live environment';
  if (meant) return `did you mean "${meant}"?`;
  return `an environment takes ${ENVIRONMENT_FLAGS.join(', ')}, the target fields (${TARGET_FIELDS.join(', ')}) and ${CUSTOM_FIELDS_KEY}: { ${key}: ... } for your own values, read as \${target.${key}}`;
}
