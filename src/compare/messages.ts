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
  shardAndVantage: {
    status: 'error',
    text: '{file} is shard {index}/{count} of a sharded run and {other} is not a shard report',
    fix: 'merge the shards of one run together (payready run --shard i/n), or reports of the same checks from several vantage points together',
  },
  shardOtherRun: { status: 'error', text: '{file} is not a shard of the same run as {first}: {what} differ', fix: 'merge the shards of one run: the same suite file, --only/--skip/--tag, --fail-on and shard count' },
  shardTwice: { status: 'error', text: 'shard {index}/{count} given twice: {first} and {file}', fix: 'give each shard\'s report.json once' },
  shardMissing: { status: 'error', text: 'shard {missing} of {count} missing: a merged verdict needs every shard', fix: 'give the report.json of every shard, 1 to {count} (a failed shard still writes its report)' },
  reportTooNew: { status: 'error', text: '{file} has report schema {version}, newer than this payready reads ({supported})', fix: 'upgrade payready' },
} as const satisfies Messages;

/** A usage error from the report table; the entry's fix is the hint. */
export function reportError(id: keyof typeof reportMessages, data: MessageData): UsageError {
  const entry: Message = reportMessages[id];
  return new UsageError(formatMessage(entry.text, data), entry.fix === undefined ? undefined : formatMessage(entry.fix, data), { id, data });
}
