/**
 * The providers payready speaks out of the box: each has a profile (`providers/<name>.yaml`, the
 * scenarios' view of its API) and a dialect of the embedded sandbox (`src/sandbox/<name>/`).
 * `payready` is the tool's own API, the one the sandbox spoke first.
 */
export const PROVIDER_NAMES = ['payready', 'stripe', 'adyen'] as const;

/** A shipped provider's name. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** Whether `name` is a shipped provider. */
export function isProviderName(name: string): name is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(name);
}
