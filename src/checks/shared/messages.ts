import { formatMessage, type MessageData, type Messages } from '../../model/messages.js';
import type { Outcome, Status } from '../../model/outcome.js';

/** Outcome fields other than status, summary and message. */
export type OutcomeRest = Omit<Outcome, 'status' | 'summary' | 'message'>;

/** Words from a type's messages table. */
export interface Messenger<M extends Messages> {
  /** The text of message `id` with `data` filled in (for a finding, an assertion or part of a summary). */
  text(id: keyof M & string, data?: MessageData): string;
  /**
   * An outcome whose summary is message `id`: carries the id and data, so tests and tools match on
   * the id. A status the message does not declare is a bug and throws.
   */
  outcome(status: Status, id: keyof M & string, data?: MessageData, rest?: OutcomeRest): Outcome;
}

/** Binds a type's messages table: `const say = messenger(messages)`. */
export function messenger<M extends Messages>(messages: M): Messenger<M> {
  const entry = (id: string) => {
    const message = messages[id];
    if (!message) throw new Error(`no message "${id}" in the table`);
    return message;
  };
  return {
    text: (id, data = {}) => formatMessage(entry(id).text, data),
    outcome(status, id, data = {}, rest = {}) {
      const message = entry(id);
      const allowed: readonly Status[] = typeof message.status === 'string' ? [message.status] : message.status;
      if (!allowed.includes(status)) throw new Error(`message "${id}" is declared for ${allowed.join('/')}, not ${status}`);
      return { status, summary: formatMessage(message.text, data), message: { id, data: { ...data } }, ...rest };
    },
  };
}
