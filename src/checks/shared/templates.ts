/**
 * A provider profile's request templates and answer pointers (see src/providers/profile-schema.ts):
 * rendering `{name}` placeholders, Stripe-style form encoding, and RFC 6901 JSON Pointers.
 */

/** The values a template can name. */
export type Vars = Readonly<Record<string, unknown>>;

/** A template value that names a value the step does not have: its key is left out. */
const MISSING = Symbol('missing');

const WHOLE = /^\{([A-Za-z][\w.]*)\}$/;
const INNER = /\{([A-Za-z][\w.]*)\}/g;

/**
 * Renders a template: a string that is exactly `{name}` becomes the value with its type; `{name}`
 * inside text becomes its text; a member whose template names a missing value is left out (and the
 * whole template is undefined when its root is). Inner placeholders must be given: a path with a
 * hole would address another resource.
 */
export function render(template: unknown, vars: Vars): unknown {
  const out = renderValue(template, vars);
  return out === MISSING ? undefined : out;
}

function renderValue(template: unknown, vars: Vars): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) {
      const value = vars[whole[1]!];
      return value === undefined ? MISSING : value;
    }
    return renderText(template, vars);
  }
  if (Array.isArray(template)) {
    const items = template.map((item) => renderValue(item, vars));
    return items.includes(MISSING) ? MISSING : items;
  }
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      const rendered = renderValue(value, vars);
      if (rendered !== MISSING) out[key] = rendered;
    }
    // An object all of whose members were missing stands for nothing (`{ amount: { value } }` without an amount).
    return Object.keys(out).length === 0 && Object.keys(template).length > 0 ? MISSING : out;
  }
  return template;
}

/** `{name}` inside text; throws when a name is missing (a path or URL with a hole addresses something else). */
export function renderText(text: string, vars: Vars): string {
  return text.replace(INNER, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new TemplateError(name, text);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** A text template names a value the step does not have. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  constructor(
    readonly missing: string,
    readonly template: string,
  ) {
    super(`the template "${template}" needs {${missing}}, which this step does not have`);
  }
}

/**
 * Form encoding as Stripe reads it: nested objects in bracket notation (`metadata[order_id]=...`),
 * arrays by index (`expand[0]=latest_charge`, as stripe-node sends them), booleans as true/false.
 */
export function formEncode(value: unknown): string {
  const pairs: string[] = [];
  const walk = (prefix: string, item: unknown): void => {
    if (item === undefined) return;
    if (Array.isArray(item)) item.forEach((v, i) => walk(`${prefix}[${i}]`, v));
    else if (item !== null && typeof item === 'object') for (const [k, v] of Object.entries(item)) walk(prefix ? `${prefix}[${k}]` : k, v);
    else pairs.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(item === null ? '' : String(item))}`);
  };
  walk('', value);
  return pairs.join('&');
}

/** The value at a JSON Pointer (RFC 6901), undefined when there is none. */
export function at(value: unknown, pointer: string | undefined): unknown {
  if (pointer === undefined) return undefined;
  if (pointer === '') return value;
  let current = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (current !== null && typeof current === 'object') current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}
