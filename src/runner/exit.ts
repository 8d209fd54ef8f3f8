import type { BundleInput } from '../evidence/bundle.js';
import { Redactor } from '../evidence/redact.js';
import type { InteractionSink } from '../model/interactions.js';
import type { Artifact } from '../model/outcome.js';
import type { RunListener } from './types.js';

/**
 * The one way out of a run. Everything a run shows or writes leaves through here, redacted: events
 * for the terminal, debug lines and prompts, artifacts, the report, every interaction-log line,
 * rendered reports and every file of the evidence bundle. Writers (the terminal reporter, the
 * JSONL writer, the bundle packer, the report files) receive what this returns and redact nothing
 * themselves; no other module calls the redactor.
 *
 * Redaction replaces every learned secret in every encoding it travels in, and masks card numbers
 * whether or not any secret is known (see src/evidence/redact.ts). A secret learned mid-run (a
 * token a check obtained, a `secret: true` capture) is redacted from everything that leaves after
 * it is learned. What leaves before (a streamed log line, an event already shown) cannot be called
 * back, which is why the report, the rendered reports and the bundle leave at the end of the run,
 * when every secret of the run is known.
 */
export class RunExit {
  readonly #redactor = new Redactor();

  /** Registers a secret (ignores absent and very short values): redacted from everything that leaves from now on. */
  learn(secret: string | undefined | null): void {
    this.#redactor.add(secret);
  }

  /**
   * True when `text` holds a learned secret. Not redaction: the HTTP transport asks, to mask a
   * header whose name does not say it is a credential and to refuse a redirect that would carry one.
   */
  holdsSecret(text: string): boolean {
    return this.#redactor.contains(text);
  }

  /** A text as it may leave: a terminal line, a rendered report, a file. */
  text(text: string): string {
    return this.#redactor.redact(text);
  }

  /** A structured value as it may leave (an event, a result, the report): a copy with every string and key redacted. */
  value<T>(value: T): T {
    return this.#redactor.redactDeep(value);
  }

  /** A line sink that receives each line redacted (debug lines, prompts). */
  lines(write: (line: string) => void): (line: string) => void {
    return (line) => write(this.text(line));
  }

  /** Artifacts as they may be kept: text content, names and descriptions redacted; binary content as produced. */
  artifacts(artifacts: readonly Artifact[]): Artifact[] {
    return artifacts.map((artifact) => this.value(artifact));
  }

  /**
   * An interaction-log sink that hands `write` each entry as one redacted JSONL line (without the
   * line break): every string redacted before serialising (a secret JSON-escaped is another
   * string), and the line once more.
   */
  interactionLines(write: (line: string) => void): InteractionSink {
    return (entry) => write(this.text(JSON.stringify(this.value(entry))));
  }

  /** One listener that hands every event, redacted, to each of `listeners` that wants it. */
  events(listeners: readonly RunListener[]): Required<RunListener> {
    const to = <K extends keyof RunListener>(event: K): NonNullable<RunListener[K]>[] =>
      listeners.flatMap((listener) => {
        const handler = listener[event];
        return handler ? [handler.bind(listener) as NonNullable<RunListener[K]>] : [];
      });
    const runStart = to('onRunStart');
    const checkStart = to('onCheckStart');
    const checkProgress = to('onCheckProgress');
    const checkEnd = to('onCheckEnd');
    // Nothing is redacted for an event nobody listens to (a run without a terminal).
    return {
      onRunStart: (info) => {
        if (runStart.length === 0) return;
        const clean = this.value(info);
        for (const handler of runStart) handler(clean);
      },
      onCheckStart: (check) => {
        if (checkStart.length === 0) return;
        const clean = this.value(check);
        for (const handler of checkStart) handler(clean);
      },
      onCheckProgress: (checkId, update) => {
        if (checkProgress.length === 0) return;
        const clean = this.value(update);
        for (const handler of checkProgress) handler(checkId, clean);
      },
      onCheckEnd: (result) => {
        if (checkEnd.length === 0) return;
        const clean = this.value(result);
        for (const handler of checkEnd) handler(clean);
      },
    };
  }

  /**
   * The evidence bundle's parts as they may be packed, at the end of the run: every text file
   * (rendered reports, the interaction log, the suite, extra files, text artifacts) and the facts
   * the manifest is made of (the report, the host). The interaction log was redacted line by line
   * as it was written; it passes again here for the secrets learned after a line was written.
   */
  bundle(input: BundleInput): BundleInput {
    const artifacts = new Map<string, Artifact[]>();
    for (const [id, list] of input.artifacts) artifacts.set(id, this.artifacts(list));
    return {
      ...input,
      report: this.value(input.report),
      reports: input.reports.map((r) => ({ ...r, text: this.text(r.text) })),
      interactions: Buffer.from(this.text(input.interactions.toString('utf8'))),
      artifacts,
      ...(input.suiteSource ? { suiteSource: { name: this.text(input.suiteSource.name), bytes: Buffer.from(this.text(input.suiteSource.bytes.toString('utf8'))) } } : {}),
      ...(input.extra ? { extra: input.extra.map((e) => ({ ...e, text: this.text(e.text) })) } : {}),
      ...(input.host ? { host: this.value(input.host) } : {}),
    };
  }
}
