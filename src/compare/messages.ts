import { UsageError } from '../errors.js';
import { formatMessage, type Message, type MessageData, type Messages } from '../model/messages.js';

/**
 * Usage errors of reading a report (`diff`, `merge`). Part of the CLI's usage table
 * (src/cli/messages.ts spreads it in); kept here because compare, which the CLI imports, raises them.
 * A `fix` is printed as the error's hint.
 */
export const reportMessages = {
  reportUnreadable: { status: 'error', text: 'cannot read {file}: {why}' },
  reportNotJson: { status: 'error', text: '{file} is not JSON', fix: 'give the report.json that payready run writes (--out DIR)' },
  notAReport: { status: 'error', text: '{file} is not a payready report', fix: 'give the report.json that payready run writes (--out DIR)' },
  reportTooNew: { status: 'error', text: '{file} has report schema {version}, newer than this payready reads ({supported})', fix: 'upgrade payready' },
} as const satisfies Messages;

/** A usage error from the report table; the entry's fix is the hint. */
export function reportError(id: keyof typeof reportMessages, data: MessageData): UsageError {
  const entry: Message = reportMessages[id];
  return new UsageError(formatMessage(entry.text, data), entry.fix === undefined ? undefined : formatMessage(entry.fix, data), { id, data });
}
