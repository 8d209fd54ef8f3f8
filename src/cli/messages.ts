import { UsageError } from '../errors.js';
import { reportMessages } from '../compare/messages.js';
import { formatMessage, type Message, type MessageData, type Messages } from '../model/messages.js';
import { selectionMessages } from '../runner/messages.js';

/**
 * Every usage or setup error the CLI prints, one entry each (as the check types keep theirs): the
 * words users see, with `{name}` placeholders, and the hint printed under them as `fix`. A thrown
 * UsageError carries the entry's id and data (`error.id`, `error.toJSON()`), so tests match on ids
 * and the words live here once. The selection and report entries are raised by the runner and by
 * compare, which cannot import the CLI: they are defined beside them and spread in here.
 * Parse errors of commander itself (an unknown option or command, a missing argument, a value
 * outside `--fail-on`'s choices) keep commander's words.
 */
export const usageMessages = {
  // Option values (src/cli/io.ts)
  notPositiveInteger: { status: 'error', text: '{option} must be a positive integer, got "{value}"' },
  notSize: { status: 'error', text: '{option} must be a size such as 10MB, 512KiB or a number of bytes, got "{value}"' },
  notMilliseconds: { status: 'error', text: '{option} must be a whole number of milliseconds, got "{value}"' },
  badTolerance: { status: 'error', text: '--tolerance must be a percentage of 0 or more, got "{value}"' },
  badAllow: { status: 'error', text: '--allow {why}' },
  unknownProvider: { status: 'error', text: 'unknown provider "{provider}"{suggestion}; valid providers: {providers}' },
  badWebhookUrl: { status: 'error', text: '--webhook-url must be an http(s) URL on a loopback address (127.0.0.1, ::1 or localhost), got "{url}"' },
  webhookUrlNeedsStripe: { status: 'error', text: '--webhook-url registers a receiver with the stripe dialect', fix: 'add --provider stripe, or register receivers through the API (--json prints how)' },
  badShard: { status: 'error', text: '--shard must be INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 2/3, got "{value}"' },

  // run and demo (src/cli/session.ts, src/cli/outputs.ts)
  signKeyWithoutEvidence: { status: 'error', text: '--sign-key signs an evidence bundle: add --evidence PATH.tar.gz' },
  unknownEnvironment: { status: 'error', text: 'suite {suite} has no environment "{environment}"{suggestion}', fix: 'environments in this suite: {environments}' },
  unknownFault: { status: 'error', text: 'unknown fault "{fault}"{suggestion}; valid faults: {faults}' },
  faultNotEmbedded: { status: 'error', text: '--fault only applies to the embedded sandbox, and environment "{environment}" is not embedded' },
  outUnusable: { status: 'error', text: 'cannot create --out {path}: {why}' },
  logUnwritable: { status: 'error', text: 'cannot write --log {path}: {why}' },
  unknownReporter: { status: 'error', text: 'unknown reporter "{name}"{suggestion}', fix: 'reporters: terminal (always on), {reporters}; write --reporter NAME or --reporter NAME=PATH' },
  reporterTwice: { status: 'error', text: 'reporter "{name}" given twice; each format is written once' },
  signKeyUnreadable: { status: 'error', text: 'cannot read --sign-key {path}: {why}' },
  signKeyInvalid: { status: 'error', text: '--sign-key {path}: {why}', fix: 'create a key with: openssl genpkey -algorithm ed25519 -out payready-sign.pem' },

  // Files any command reads or writes
  fileUnwritable: { status: 'error', text: 'cannot write {path}: {why}' },
  fileUnreadable: { status: 'error', text: 'cannot read {path}: {why}' },

  // verify, merge, checks
  pubkeyInvalid: { status: 'error', text: '--pubkey {path}: {why}', fix: 'give the PEM public key: openssl pkey -in payready-sign.pem -pubout -out payready-sign.pub.pem' },
  mergeNeedsTwo: { status: 'error', text: 'merge needs at least two reports', fix: 'payready merge eu=eu/report.json us=us/report.json' },
  shardBundleUnverified: {
    status: 'error',
    text: 'shard bundle {file}{shard} fails verification, and merge takes in verified shards only: {problems}',
    fix: 'give the bundle as its shard wrote it (payready verify {file} lists every problem), or run that shard again',
  },
  bundleWithoutReport: { status: 'error', text: '{file} verifies but holds no {report}: it is not a bundle payready run writes' },
  mergeEvidenceNeedsBundles: {
    status: 'error',
    text: "--evidence builds the merged bundle from the shards' bundles, and {file} is a report",
    fix: "give every shard's evidence bundle (payready run --shard i/n --evidence shard-i/evidence.tar.gz) instead of its report.json",
  },
  mergeEvidenceNeedsShards: { status: 'error', text: "--evidence merges the bundles of a sharded run's shards, and {file} is not a shard's", fix: 'merge vantage points without --evidence, and keep the bundle of each' },
  shardKeyDiffers: {
    status: 'error',
    text: 'shard bundle {file} (shard {index}/{count}) is signed with {what}, not with {reference}',
    fix: 'sign every shard and the merge with the same --sign-key (or leave --sign-key out everywhere: ephemeral keys, integrity only)',
  },
  unknownMergeReporter: { status: 'error', text: 'unknown reporter "{name}"', fix: 'reporters: {reporters}' },
  unknownCheckType: { status: 'error', text: 'unknown check type "{name}"{suggestion}', fix: 'check types: {types}' },

  // init
  suiteFileExists: { status: 'error', text: '{path} already exists', fix: 'pass --force to overwrite it, or name another file: payready init other.yaml' },
  unknownDemoProvider: { status: 'error', text: 'unknown provider "{provider}"{suggestion}', fix: 'providers: {providers}' },
  breakWithoutIntegration: { status: 'error', text: '--break breaks the reference shop, which only --integration runs', fix: 'payready demo --integration --break no-idempotency-key' },
  integrationProvider: { status: 'error', text: 'the reference shop speaks Stripe; --integration cannot run with --provider {provider}', fix: 'leave --provider out (or give --provider stripe) with --integration' },
  unknownInitProvider: { status: 'error', text: 'unknown provider "{provider}"{suggestion}', fix: 'providers: {providers} (or leave --provider out for the built-in sandbox, or give --base-url and --auth for another provider)' },
  providerAuthFixed: { status: 'error', text: '{provider} authenticates with {expected}, not {auth}', fix: 'leave --auth out with --provider: the provider\'s profile says how its API authenticates' },
  unknownAuthStyle: { status: 'error', text: 'unknown auth style "{auth}"{suggestion}', fix: 'auth styles: {styles}' },
  notAUrl: { status: 'error', text: '"{url}" is not a URL; write it like https://sandbox.api.example.com' },
  notHttpUrl: { status: 'error', text: '"{url}" must start with https://' },
  checkoutUrlNeedsBaseUrl: {
    status: 'error',
    text: "--checkout-url needs --base-url: the built-in sandbox serves its own checkout page, and the suite's ui check drives that",
    fix: "leave out --checkout-url, or give your provider's API with --base-url",
  },
  sandboxAuthIsOauth: { status: 'error', text: 'the built-in sandbox authenticates with OAuth 2.0, not {auth}', fix: "use --auth oauth2, or give your provider's API with --base-url" },
  suiteNameNotKebab: { status: 'error', text: 'suite name "{name}" must be kebab-case, e.g. payments-go-live' },
  environmentNameInvalid: { status: 'error', text: 'environment name "{name}" must start with a letter and hold only letters, digits, "-" and "_"' },
  noEnvironment: { status: 'error', text: 'name at least one environment, e.g. --env sandbox' },
  environmentsRepeat: { status: 'error', text: 'environment names must differ' },

  ...selectionMessages,
  ...reportMessages,
} as const satisfies Messages;

/** An id of the usage table. */
export type UsageId = keyof typeof usageMessages;

/** The words of a usage entry filled with `data`: the message and, from its fix, the hint. */
export function usageText(id: UsageId, data: MessageData = {}): { message: string; hint?: string } {
  const entry: Message = usageMessages[id];
  return { message: formatMessage(entry.text, data), ...(entry.fix !== undefined ? { hint: formatMessage(entry.fix, data) } : {}) };
}

/** A usage error from the table: its words, and the id and data it was made from. */
export function usageError(id: UsageId, data: MessageData = {}): UsageError {
  const { message, hint } = usageText(id, data);
  return new UsageError(message, hint, { id, data });
}
