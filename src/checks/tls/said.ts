import type { MessageData } from '../../model/messages.js';
import { messenger } from '../shared/messages.js';
import { messages } from './messages.js';

/** The `tls` messages table, bound. */
export const say = messenger(messages);

/** A message of the table with its data: a problem or an unanswered probe, worded once it is reported. */
export interface Said {
  /** The message id. */
  id: keyof typeof messages;
  /** Its placeholders' values. */
  data: MessageData;
}

/** The words of a `Said`. */
export function words(said: Said): string {
  return say.text(said.id, said.data);
}
