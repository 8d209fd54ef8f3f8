/*
 * Message ids and templates: every summary and finding a check can produce is one entry of its
 * type's messages table (as ESLint rules keep `meta.messages`). A result carries the id and the
 * data, so tests and tools match on ids, and the words can change without breaking them. Imports
 * nothing.
 */

import type { Status } from './outcome.js';

/** Values a template's `{name}` placeholders take. */
export type MessageData = Readonly<Record<string, string | number | boolean>>;

/** A message a result carries: which entry of its type's table, and the values filled in. */
export interface MessageRef {
  /** The message id, unique within its check type (or the CLI's usage table), e.g. `hstsMissing`. */
  id: string;
  /** The values of the template's placeholders. */
  data: MessageData;
}

/** One entry of a messages table. */
export interface Message {
  /** The statuses a result with this message can have (a finding's message: the status it causes). */
  status: Status | readonly Status[];
  /** The template; `{name}` is replaced by `data.name`. */
  text: string;
  /** What the team does about it: required for `fail`, `warn` and `error`, listed in the type's docs. */
  fix?: string;
}

/** A messages table: id -> message. */
export type Messages = Readonly<Record<string, Message>>;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The placeholder names a template uses, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Fills a template; a placeholder without a value is a bug in the caller and throws. */
export function formatMessage(template: string, data: MessageData): string {
  return template.replace(PLACEHOLDER, (_all, name: string) => {
    if (!Object.hasOwn(data, name)) throw new Error(`message "${template}" needs a value for {${name}}`);
    return String(data[name]);
  });
}
