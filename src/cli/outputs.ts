import { appendFile } from 'node:fs/promises';
import { readRegularFile } from '../files.js';
import { MAX_SUITE_BYTES } from '../suite/yaml.js';
import { basename, resolve } from 'node:path';
import type { RunOutput } from '../runner/run.js';
import type { Suite } from '../suite/types.js';
import type { SigningKey } from '../evidence/sign.js';
import { displayPath } from '../paths.js';
import { usageError } from './messages.js';
import type { Io } from './io.js';

/** Said in every report when the bundle is signed with a key made for the run. */
export const EPHEMERAL_KEY_WARNING =
  'The evidence bundle is signed with an ephemeral key made for this run: the signature proves the bundle has not changed since it was written (integrity), not who wrote it. Sign with --sign-key to prove origin.';

const MEDIA_TYPES: Readonly<Record<string, string>> = { codequality: 'application/json', json: 'application/json', junit: 'application/xml', markdown: 'text/markdown', html: 'text/html' };

/** What to write after a run. */
export interface OutputPlan {
  /** The run's result. */
  output: RunOutput;
  /** The suite that ran. */
  suite: Suite;
  /** File reporters and where each goes (relative to cwd). */
  reporters: { name: string; path: string }[];
  /** The committed interaction log's bytes (read when a bundle is written). */
  interactions: () => Promise<Buffer>;
  /** `--evidence PATH` and the key to sign with. */
  evidence?: { path: string; key: SigningKey };
}

/**
 * Writes the requested reports (atomically), appends the Markdown summary to
 * $GITHUB_STEP_SUMMARY when set, and writes the signed evidence bundle. Returns the paths
 * written, for the terminal's "Wrote" lines.
 */
export async function writeOutputs(plan: OutputPlan, io: Io): Promise<{ reports: string[]; bundle?: string }> {
  const [reporters, writers] = await Promise.all([import('../reporters/index.js'), import('../evidence/write.js')]);
  const { output, evidence } = plan;
  if (evidence?.key.kind === 'ephemeral') output.report.warnings.push(EPHEMERAL_KEY_WARNING);
  const context = { interactions: output.interactions, artifacts: output.artifacts };
  const rendered = new Map<string, string>();
  const render = async (name: string): Promise<string> => {
    let text = rendered.get(name);
    if (text === undefined) {
      text = output.exit.text((await reporters.loadReporter(name)).render(output.report, context));
      rendered.set(name, text);
    }
    return text;
  };

  const write = async (path: string, data: string | Uint8Array): Promise<string> => {
    // `-` is standard output; a device or FIFO is written in place, a regular file replaced atomically.
    const target = path === '-' ? '-' : resolve(io.cwd, path);
    try {
      await writers.writeFileAtomic(target, data, io, (p) => displayPath(p, io.cwd));
    } catch (err) {
      const why = writers.outputProblem(err);
      if (why === undefined) throw err;
      throw usageError('fileUnwritable', { path, why });
    }
    return path === '-' ? 'standard output' : displayPath(target, io.cwd);
  };
  const written: string[] = [];
  for (const { name, path } of plan.reporters) written.push(await write(path, await render(name)));
  if (io.env.GITHUB_STEP_SUMMARY) {
    // The job summary is a convenience: failing to append to it must not lose the reports.
    await appendFile(io.env.GITHUB_STEP_SUMMARY, `${await render('markdown')}\n`).catch((err: unknown) => io.stderr.write(`warning: cannot append the summary to $GITHUB_STEP_SUMMARY: ${writers.outputProblem(err) ?? 'unwritable'}\n`));
  }
  if (!evidence) return { reports: written };

  const [{ buildBundle, hostFacts }, { coverageOf, registryTypeItems }] = await Promise.all([import('../evidence/bundle.js'), import('../suite/coverage.js')]);
  const reports = await Promise.all(
    reporters.reporterNames.map(async (name) => ({ name: (await reporters.loadReporter(name)).defaultFile, text: await render(name), mediaType: MEDIA_TYPES[name] ?? 'text/plain' })),
  );
  // Every file and every fact of the bundle passes through the run's exit, at the end of the run.
  const parts = output.exit.bundle({
    report: output.report,
    reports,
    interactions: await plan.interactions(),
    artifacts: output.artifacts,
    suiteSource: { name: basename(plan.suite.path), bytes: await readRegularFile(plan.suite.path, MAX_SUITE_BYTES) },
    extra: [{ name: 'coverage.json', text: `${JSON.stringify(coverageOf(plan.suite, await registryTypeItems(plan.suite.checks)), null, 2)}\n`, mediaType: 'application/json' }],
    key: evidence.key,
    host: hostFacts(),
  });
  const { bytes } = await buildBundle(parts);
  return { reports: written, bundle: await write(evidence.path, bytes) };
}
