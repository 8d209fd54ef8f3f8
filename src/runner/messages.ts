import { UsageError } from '../errors.js';
import { formatMessage, type Message, type MessageData, type Messages } from '../model/messages.js';

/**
 * Usage errors of check selection (`--only`, `--skip`, `--tag`). Part of the CLI's usage table
 * (src/cli/messages.ts spreads it in); kept here because the runner, which cannot import the CLI,
 * raises them. A `fix` would be printed as the error's hint.
 */
export const selectionMessages = {
  unknownCheckId: { status: 'error', text: 'no check with id "{id}" in the suite{suggestion}' },
  unknownTag: { status: 'error', text: 'no check has tag "{tag}"{suggestion}' },
  shardNeedsJudge: {
    status: 'error',
    text: 'cannot shard: check "{id}" needs "{judge}", which judges the calls of every shard and so runs only at merge',
    fix: 'remove "{judge}" from the needs of "{id}", or run without --shard',
  },
  shardDeferredUnresolved: {
    status: 'error',
    text: 'cannot shard: the parameters of "{id}" (it runs at merge, over every shard\'s calls) must resolve before the run: {why}',
    fix: 'give it values from vars, env or target only: captures of other checks stay in the shard that made them',
  },
} as const satisfies Messages;

/** A usage error from the selection table; an entry's fix is the hint. */
export function selectionError(id: keyof typeof selectionMessages, data: MessageData): UsageError {
  const entry: Message = selectionMessages[id];
  return new UsageError(formatMessage(entry.text, data), entry.fix === undefined ? undefined : formatMessage(entry.fix, data), { id, data });
}
