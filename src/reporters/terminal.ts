import type { Writable } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import type { ProgressUpdate, Status } from '../model/outcome.js';
import type { RunListener } from '../runner/run.js';
import { blockedOnlyBySetup, blockingResults, type CheckResult, type Report, type Verdict } from '../model/report.js';
import { describeFailure } from '../model/operators.js';
import { clean, sectionScoreText, sectionState } from './common.js';
import { plural } from '../text.js';

export { clean };

/** The output stream, with what a TTY adds (`tty.WriteStream`). */
export type TerminalStream = Writable & { isTTY?: boolean; columns?: number; rows?: number };

/** How the terminal reporter behaves. */
export interface TerminalOptions {
  /** Where lines go (stdout). */
  stream: TerminalStream;
  /** Process environment (CI, NO_COLOR, FORCE_COLOR). */
  env: Record<string, string | undefined>;
  /** Print assertion details under failing checks. */
  verbose?: boolean;
  /** Without a spinner, a line for each check still running after this long, and again as often (ms; default 10 s, 0 for none). */
  heartbeatMs?: number;
}

/** How long a check runs, off a live terminal, before a "still running" line says so. */
export const HEARTBEAT_MS = 10_000;

const LABEL: Record<Status, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', error: 'ERROR' };
const SYMBOL: Record<Status, string> = { pass: '✔', fail: '✖', warn: '⚠', skip: '○', error: '!' };

/** Minimal spinner surface we use from ora (imported lazily, TTY only). */
interface Spinner {
  text: string;
  start(): Spinner;
  stop(): Spinner;
  clear(): Spinner;
  render(): Spinner;
}

/**
 * True when `stream` is a terminal a spinner can draw on: a TTY with a size. A pseudo-terminal of
 * zero rows or columns (`docker run -t`, `script` in CI) is not one: ora divides by the width
 * and would clear an infinite number of lines, for ever.
 */
export function isLiveTerminal(stream: TerminalStream): boolean {
  return Boolean(stream.isTTY) && hasSize(stream);
}

/** False when the terminal reports zero (or nonsense) rows or columns; an unknown size is fine (ora assumes 80). */
function hasSize(stream: TerminalStream): boolean {
  const ok = (n: number | undefined): boolean => n === undefined || (Number.isFinite(n) && n > 0);
  return ok(stream.columns) && ok(stream.rows);
}

/**
 * Live progress and the verdict block. A spinner only on a TTY that has a size and never under
 * CI; plain lines otherwise, with a "still running" line for a long check, so a CI log never
 * looks hung; no colour under NO_COLOR or without a TTY. Server-supplied text is stripped of
 * escape sequences so a hostile response cannot repaint the terminal.
 */
export class TerminalReporter implements RunListener {
  private readonly c: ChalkInstance;
  private readonly live: boolean;
  private spinner: Spinner | undefined;
  private readonly running = new Set<string>();
  private readonly progress = new Map<string, string>();
  /** Off a live terminal: the "still running" timer of each running check. */
  private readonly heartbeats = new Map<string, NodeJS.Timeout>();
  private idWidth = 12;

  constructor(private readonly options: TerminalOptions) {
    const { env, stream } = options;
    const tty = isLiveTerminal(stream);
    const colour = env.FORCE_COLOR && env.FORCE_COLOR !== '0' ? 1 : tty && !('NO_COLOR' in env) ? 1 : 0;
    this.c = new Chalk({ level: colour as 0 | 1 });
    this.live = tty && !isCI(env);
  }

  /** Loads the spinner when it will be used (ora is not needed off a TTY). */
  async prepare(): Promise<void> {
    if (!this.live) return;
    const { default: ora } = await import('ora');
    // The decision is ours (from the env we were given), not ora's own look at process.env.
    this.spinner = ora({ stream: this.options.stream, discardStdin: false, isEnabled: true });
    // A terminal resized to nothing mid-run: the spinner goes before it draws at that size
    // ('resize' is emitted as soon as the new size is known, before any later render).
    this.options.stream.on('resize', this.onResize);
  }

  private readonly onResize = (): void => {
    if (!this.spinner || hasSize(this.options.stream)) return;
    this.options.stream.off('resize', this.onResize);
    this.spinner.stop();
    this.spinner = undefined;
    this.updateSpinner();
  };

  onRunStart({ suite, target, checks }: { suite: { name: string; file: string }; target: { name: string; baseUrl?: string; insecure: boolean }; checks: { id: string }[] }): void {
    this.idWidth = Math.min(32, Math.max(12, ...checks.map((c) => c.id.length)));
    const where = target.baseUrl ? ` (${target.baseUrl})` : '';
    this.line(`${this.c.bold('payready')} · suite ${suite.name} (${suite.file}) · environment ${target.name}${where} · ${plural(checks.length, 'check')}`);
    if (target.insecure) this.line(this.c.yellow(`warning: TLS certificate verification is off for environment "${target.name}"`));
    this.spinner?.start();
  }

  onCheckStart(check: { id: string }): void {
    this.running.add(check.id);
    this.updateSpinner();
    const every = this.options.heartbeatMs ?? HEARTBEAT_MS;
    if (!this.spinner && every > 0 && !this.heartbeats.has(check.id)) {
      const started = performance.now();
      const timer = setInterval(() => {
        if (this.spinner) return; // a spinner shows it already
        const progress = this.progress.get(check.id);
        this.line(this.c.dim(`...    ${check.id} still running (${formatElapsed(performance.now() - started)})${progress ? `: ${progress}` : ''}`));
      }, every);
      // A heartbeat never keeps the process alive.
      timer.unref();
      this.heartbeats.set(check.id, timer);
    }
  }

  /** A long check's progress: in the spinner on a TTY, in the "still running" lines otherwise. */
  onCheckProgress(checkId: string, update: ProgressUpdate): void {
    if (!this.running.has(checkId)) return;
    const percent = update.fraction === undefined ? '' : ` ${Math.round(Math.min(1, Math.max(0, update.fraction)) * 100)}%`;
    this.progress.set(checkId, clean(`${update.message}${percent}`));
    this.updateSpinner();
  }

  onCheckEnd(result: CheckResult): void {
    this.running.delete(result.id);
    this.progress.delete(result.id);
    clearInterval(this.heartbeats.get(result.id));
    this.heartbeats.delete(result.id);
    this.line(this.formatResult(result));
    // The summary names the first failed assertion; list the others (all of them with --verbose).
    const failed = result.assertions.filter((a) => !a.passed);
    for (const a of this.options.verbose ? failed : failed.slice(1, 4)) this.line(this.c.dim(`        ${clean(describeFailure(a))}`));
    this.updateSpinner();
  }

  /** Stops the spinner (the cursor comes back) and every timer; the process may end right after. */
  abandon(): void {
    if (this.spinner) this.options.stream.off('resize', this.onResize);
    this.spinner?.stop();
    this.spinner = undefined;
    for (const timer of this.heartbeats.values()) clearInterval(timer);
    this.heartbeats.clear();
  }

  /** The verdict block; `files` are the paths written (report, log, bundle). */
  end(report: Report, files: string[] = []): void {
    this.abandon();
    const s = report.summary;
    const counts = `${plural(report.results.length, 'check')}: ${s.pass} pass · ${s.fail} fail · ${s.error} error · ${s.warn} warn · ${s.skip} skip`;
    this.options.stream.write('\n');
    this.line(`${this.verdict(report.verdict)}  ${counts}  (${(report.durationMs / 1000).toFixed(1)} s)${report.incomplete ? this.c.yellow('  INCOMPLETE: the run was interrupted') : ''}`);
    const sections = Object.entries(report.sections)
      .map(([id, score]) => {
        const text = `${id} ${sectionScoreText(score)}`;
        const state = sectionState(score);
        return state === 'pass' ? this.c.green(text) : state === 'warn' ? this.c.yellow(text) : this.c.red(text);
      })
      .join('  ');
    if (sections) this.line(`Sections   ${sections}`);
    const blocking = blockingResults(report.results, report.failOn);
    for (const r of blocking.slice(0, 10)) this.line(`${this.c.red(r.cause === 'setup' ? 'Setup   ' : 'Blocking')}   ${r.id} (${r.section}, ${r.severity}): ${clean(r.summary)}`);
    if (blocking.length > 10) this.line(`           ... and ${blocking.length - 10} more`);
    for (const r of report.results.filter((x) => x.waived)) this.line(`${this.c.yellow('Waived')}     ${r.id}: ${clean(r.waiver?.reason ?? '')} (approved by ${r.waiver?.approvedBy}, until ${r.waiver?.expires})`);
    for (const r of report.results.filter((x) => x.waiver && !x.waiver.active)) {
      const what = r.status === 'fail' || r.status === 'error' ? 'it no longer counts' : 'remove or renew it';
      this.line(`${this.c.red('Expired')}    ${r.id}: waiver approved by ${clean(r.waiver!.approvedBy)} expired on ${r.waiver!.expires}: ${what}`);
    }
    if (blockedOnlyBySetup(report)) {
      this.line(this.c.red(`Setup      only the suite's own configuration stands in the way (credentials, paths, CA files): fix the suite and run again (exit 2)`));
    }
    for (const w of report.warnings) this.line(this.c.yellow(`Warning    ${w}`));
    for (const file of files) this.line(`Wrote      ${file}`);
  }

  private formatResult(r: CheckResult): string {
    const colour = this.statusColour(r.status);
    const label = colour(`${this.live ? `${SYMBOL[r.status]} ` : ''}${LABEL[r.status].padEnd(5)}`);
    const duration = r.attempts > 0 ? formatMs(r.durationMs) : '';
    const waived = r.waived ? this.c.yellow(' [waived]') : '';
    return `${label}  ${r.id.padEnd(this.idWidth)}  ${r.section.padEnd(4)}  ${duration.padStart(7)}  ${clean(r.summary)}${waived}`;
  }

  private statusColour(status: Status): (text: string) => string {
    switch (status) {
      case 'pass':
        return this.c.green;
      case 'fail':
        return this.c.red;
      case 'error':
        return this.c.magenta;
      case 'warn':
        return this.c.yellow;
      default:
        return this.c.dim;
    }
  }

  private verdict(verdict: Verdict): string {
    if (verdict === 'READY') return this.c.bold.green(verdict);
    if (verdict === 'READY WITH WAIVERS') return this.c.bold.yellow(verdict);
    return this.c.bold.red(verdict);
  }

  private updateSpinner(): void {
    if (!this.spinner) return;
    const ids = [...this.running].map((id) => (this.progress.has(id) ? `${id} (${this.progress.get(id)})` : id));
    this.spinner.text = ids.length ? `running ${ids.slice(0, 4).join(', ')}${ids.length > 4 ? ` +${ids.length - 4}` : ''}` : 'waiting';
  }

  private line(text: string): void {
    this.spinner?.clear();
    this.options.stream.write(`${text}\n`);
    this.spinner?.render();
  }
}

/** True under a CI system (no spinner there). */
export function isCI(env: Record<string, string | undefined>): boolean {
  return Boolean(env.CI && env.CI !== 'false' && env.CI !== '0') || Boolean(env.GITHUB_ACTIONS || env.GITLAB_CI || env.BUILDKITE || env.JENKINS_URL);
}

/** `20 s`, `2 min 5 s`. */
function formatElapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
