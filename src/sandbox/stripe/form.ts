/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket notation for nested
 * values, as the API reference's curl examples write it (`-d "metadata[order_id]=6735"`,
 * `-d "payment_method_types[]=card"`) and as stripe-node sends it (qs with indices:
 * `payment_method_types[0]=card`, brackets left unescaped).
 */

/** A decoded form value: text, a list, or a nested map (every leaf is a string, as on the wire). */
export type FormValue = string | FormValue[] | FormMap;

/** A decoded form body or nested map. */
export interface FormMap {
  [key: string]: FormValue;
}

/** Deepest nesting accepted; Stripe's parameters go three levels deep at most. */
const MAX_DEPTH = 5;
/** Largest list index accepted (a hostile index must not allocate a huge array). */
const MAX_INDEX = 1000;

/** A malformed key, reported as Stripe reports an invalid parameter. */
export class FormError extends Error {
  override readonly name = 'FormError';

  constructor(
    message: string,
    /** The parameter as written. */
    readonly param: string,
  ) {
    super(message);
  }
}

/** Splits `a[b][0][]` into `['a', 'b', '0', '']`. */
function path(key: string): string[] {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const parts = [key.slice(0, open)];
  const rest = key.slice(open);
  const pattern = /\[([^[\]]*)\]/gy;
  let consumed = 0;
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    parts.push(match[1] ?? '');
    consumed = pattern.lastIndex;
  }
  if (consumed !== rest.length || parts[0] === '') throw new FormError(`Invalid parameter name: ${key}`, key);
  return parts;
}

function isMap(value: FormValue | undefined): value is FormMap {
  return value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/** Creates (or reuses) the container at `key` of `parent` for the next segment. */
function child(parent: FormMap | FormValue[], key: string, nextIsList: boolean, name: string): FormMap | FormValue[] {
  const existing = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (existing !== undefined) {
    if (typeof existing === 'string' || Array.isArray(existing) !== nextIsList) throw new FormError(`Invalid parameter: ${name} mixes a value and nested values`, name);
    return existing as FormMap | FormValue[];
  }
  const created: FormMap | FormValue[] = nextIsList ? [] : (Object.create(null) as FormMap);
  if (Array.isArray(parent)) parent[Number(key)] = created;
  else parent[key] = created;
  return created;
}

function isIndex(segment: string): boolean {
  return segment === '' || (/^\d{1,4}$/.test(segment) && Number(segment) <= MAX_INDEX);
}

/** Decodes a form body into nested maps and lists (prototype keys cannot be set). */
export function parseForm(text: string): FormMap {
  const root = Object.create(null) as FormMap;
  for (const [name, value] of new URLSearchParams(text)) {
    const parts = path(name);
    if (parts.length > MAX_DEPTH + 1) throw new FormError(`Invalid parameter: ${name} is nested too deeply`, name);
    let container: FormMap | FormValue[] = root;
    for (let i = 0; i < parts.length; i += 1) {
      const segment = parts[i] ?? '';
      const last = i === parts.length - 1;
      if (Array.isArray(container)) {
        if (!isIndex(segment)) throw new FormError(`Invalid array index in ${name}`, name);
      } else if (segment === '' || segment === '__proto__') {
        throw new FormError(`Invalid parameter name: ${name}`, name);
      }
      // `list[]` appends; `list[3]` sets index 3.
      const key = Array.isArray(container) && segment === '' ? String(container.length) : segment;
      if (last) {
        if (Array.isArray(container)) container[Number(key)] = value;
        else if (isMap(container[key]) || Array.isArray(container[key])) throw new FormError(`Invalid parameter: ${name} mixes a value and nested values`, name);
        else container[key] = value;
      } else {
        container = child(container, key, isIndex(parts[i + 1] ?? ''), name);
      }
    }
  }
  return compact(root) as FormMap;
}

/** Lists written with gaps (`a[0]`, `a[2]`) become dense, as qs decodes them. */
function compact(value: FormValue): FormValue {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
  const out = Object.create(null) as FormMap;
  for (const [key, item] of Object.entries(value)) out[key] = compact(item);
  return out;
}
