/**
 * Code the `ui` check runs inside the page (through playwright's `evaluate`), so each function is
 * self-contained: no imports, no outer variables. The project compiles without the DOM library,
 * so the few DOM shapes used are declared here.
 */

/** A card field the check looks for. */
export type CardField = 'number' | 'expiry' | 'cvc';

/** What the page says about one card field. */
export interface FieldFacts {
  /** Which field. */
  field: CardField;
  /** False when no input in the form looks like this field. */
  found: boolean;
  /** Short description, e.g. `input#cc-number`. */
  what: string;
  /** Accessible name from a label, aria-label or aria-labelledby ('' when none; a placeholder does not count). */
  label: string;
  /** The `autocomplete` attribute ('' when absent). */
  autocomplete: string;
  /** The `inputmode` attribute ('' when absent). */
  inputmode: string;
}

/** One control a finger has to hit. */
export interface TargetFacts {
  /** Short description, e.g. `button#pay`. */
  what: string;
  /** Rendered width in CSS px at the page's zoom. */
  width: number;
  /** Rendered height in CSS px at the page's zoom. */
  height: number;
}

/** What one look at the loaded page found. */
export interface PageFacts {
  /** `content` of the viewport meta tag, null when there is none. */
  viewportMeta: string | null;
  /** Width of the whole document in CSS px (more than the viewport: horizontal scrolling). */
  scrollWidth: number;
  /** The visual viewport's zoom (below 1 when a desktop page is shrunk to fit a phone). */
  scale: number;
  /** Controls of the payment form. */
  targets: TargetFacts[];
  /** The card fields. */
  fields: FieldFacts[];
  /** True when a submit control was found (marked for the check to click). */
  submit: boolean;
}

interface AuditElement {
  tagName: string;
  id: string;
  innerText: string;
  labels?: ArrayLike<AuditElement> | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  getBoundingClientRect(): { width: number; height: number };
  closest(selector: string): AuditElement | null;
  querySelector(selector: string): AuditElement | null;
  querySelectorAll(selector: string): ArrayLike<AuditElement>;
}

interface AuditWindow {
  document: {
    documentElement: { scrollWidth: number };
    body: { scrollWidth: number } | null;
    querySelector(selector: string): AuditElement | null;
    querySelectorAll(selector: string): ArrayLike<AuditElement>;
    getElementById(id: string): AuditElement | null;
  };
  visualViewport: { scale: number } | null;
  getComputedStyle(element: AuditElement): { visibility: string; display: string; opacity: string };
}

/**
 * Looks at the page: viewport meta, document width, the payment form's controls and card fields.
 * Marks the card fields (`data-payready-field`) and the submit control (`data-payready-submit`)
 * so the check can fill and press them.
 */
export function inspectPage(formSelector: string): PageFacts {
  const win = globalThis as unknown as AuditWindow;
  const doc = win.document;
  const describe = (el: AuditElement): string => {
    const name = el.getAttribute('name');
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : name ? `[name=${name}]` : ''}`;
  };
  const visible = (el: AuditElement): boolean => {
    const box = el.getBoundingClientRect();
    const style = win.getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none' && style.opacity !== '0';
  };
  const textOf = (el: AuditElement | null): string => (el ? el.innerText.replace(/\s+/g, ' ').trim() : '');
  const nameOf = (el: AuditElement): string => {
    const fromLabels = Array.from(el.labels ?? []).map(textOf).join(' ').trim();
    if (fromLabels) return fromLabels;
    const aria = (el.getAttribute('aria-label') ?? '').trim();
    if (aria) return aria;
    const ids = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
    return ids.map((id) => textOf(doc.getElementById(id))).join(' ').trim();
  };

  const inputs = Array.from(doc.querySelectorAll(`${formSelector} input, ${formSelector} select, ${formSelector} textarea`)).filter(
    (el) => !['hidden', 'submit', 'button', 'checkbox', 'radio'].includes((el.getAttribute('type') ?? '').toLowerCase()),
  );
  const byAutocomplete: Record<CardField, RegExp> = { number: /\bcc-number\b/, expiry: /\bcc-exp(?:-month)?\b/, cvc: /\bcc-csc\b/ };
  const byName: Record<CardField, RegExp> = { number: /card.?num|cc.?num|cardnumber|^number$|\bpan\b/i, expiry: /exp/i, cvc: /cvc|cvv|csc|security|cid/i };
  const fields: FieldFacts[] = (['number', 'expiry', 'cvc'] as const).map((field) => {
    const el =
      inputs.find((input) => byAutocomplete[field].test(input.getAttribute('autocomplete') ?? '')) ??
      inputs.find((input) => [input.getAttribute('name'), input.id, input.getAttribute('placeholder'), input.getAttribute('aria-label'), nameOf(input)].some((v) => v && byName[field].test(v)));
    if (!el) return { field, found: false, what: '', label: '', autocomplete: '', inputmode: '' };
    el.setAttribute('data-payready-field', field);
    return { field, found: true, what: describe(el), label: nameOf(el), autocomplete: el.getAttribute('autocomplete') ?? '', inputmode: el.getAttribute('inputmode') ?? '' };
  });
  const nameField = inputs.find((input) => /\bcc-name\b/.test(input.getAttribute('autocomplete') ?? '') || /name/i.test(input.getAttribute('name') ?? ''));
  if (nameField && !nameField.getAttribute('data-payready-field')) nameField.setAttribute('data-payready-field', 'name');

  const form = doc.querySelector('[data-payready-field="number"]')?.closest('form') ?? doc.querySelector(formSelector);
  const submit = form?.querySelector('button[type=submit], input[type=submit], button:not([type])') ?? null;
  submit?.setAttribute('data-payready-submit', 'true');
  const scale = win.visualViewport?.scale ?? 1;
  const controls = form ? Array.from(form.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], [role=button]')) : [];
  const targets = controls.filter(visible).map((el) => {
    const box = el.getBoundingClientRect();
    return { what: describe(el), width: Math.round(box.width * scale * 10) / 10, height: Math.round(box.height * scale * 10) / 10 };
  });
  return {
    viewportMeta: doc.querySelector('meta[name="viewport"]')?.getAttribute('content') ?? null,
    scrollWidth: Math.max(doc.documentElement.scrollWidth, doc.body?.scrollWidth ?? 0),
    scale,
    targets,
    fields,
    submit: submit !== null,
  };
}

/**
 * The text of the first visible live region (`role=alert`, `role=status`, `aria-live`), or null.
 * "Processing…" placeholders do not count: the check waits for the outcome.
 */
export function liveMessage(): string | null {
  const win = globalThis as unknown as AuditWindow;
  const regions = Array.from(win.document.querySelectorAll('[role=alert], [role=alertdialog], [role=status], [aria-live]:not([aria-live=off])'));
  for (const region of regions) {
    const text = region.innerText.replace(/\s+/g, ' ').trim();
    const box = region.getBoundingClientRect();
    const style = win.getComputedStyle(region);
    if (!text || box.width === 0 || box.height === 0 || style.visibility === 'hidden' || style.opacity === '0') continue;
    if (/^(processing|loading|please wait|submitting)\b/i.test(text)) continue;
    return text;
  }
  return null;
}
