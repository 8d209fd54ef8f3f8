import { basename, dirname, join, resolve } from 'node:path';
import { appendFile, stat } from 'node:fs/promises';
import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { usageError } from '../messages.js';
import { collect } from '../io.js';
import type { ShardReport } from '../../compare/shards.js';
import type { Report } from '../../model/report.js';
import type { VerifiedBundle } from '../merge-evidence.js';
import { VERSION, displayPath } from '../../paths.js';

/** Media types of the rendered reports inside a bundle (as a run's bundle lists them). */
const MEDIA_TYPES: Readonly<Record<string, string>> = { codequality: 'application/json', json: 'application/json', junit: 'application/xml', markdown: 'text/markdown', html: 'text/html' };

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('merge')
    .description(
      'merge report.json files or evidence bundles into one: the shards of a sharded run (payready run --shard i/n) into the report, and with --evidence the signed bundle, one run would have written; or reports from several vantage points (status per vantage, the worst verdict wins); exit 1 when NOT READY',
    )
    .argument(
      '<inputs...>',
      "report.json files or evidence bundles (.tar.gz, verified before use), each as PATH or NAME=PATH (the name labels its vantage point; shards are told apart by their report); a folder stands for its evidence.tar.gz, else its report.json",
    )
    .option('-o, --out <path>', 'where the merged report.json goes', 'merged-report.json')
    .option('--reporter <name[=path]>', 'also write the merged report in this format (junit, markdown, html), by default beside --out; repeatable', collect, [])
    .option('--evidence <path>', "write the merged run's signed evidence bundle (.tar.gz): the merged reports, every shard's bundle, and each one's verification; give the shards' bundles")
    .option('--sign-key <pem>', "sign the merged bundle with the team's Ed25519 private key, which must have signed every shard (default: an ephemeral key, integrity only)")
    .action(async (specs: string[], raw: { out: string; reporter: string[]; evidence?: string; signKey?: string }) => {
      const [{ loadReport, parseReport }, { mergeReports, renderMerge }, shards, reporters, { writeFileAtomic, outputProblem }, { blockedOnlyBySetup }, evidence] = await Promise.all([
        import('../../compare/load-report.js'),
        import('../../compare/merge.js'),
        import('../../compare/shards.js'),
        import('../../reporters/index.js'),
        import('../../evidence/write.js'),
        import('../../model/report.js'),
        import('../merge-evidence.js'),
      ]);
      if (raw.signKey && !raw.evidence) throw usageError('signKeyWithoutEvidence');
      const named = await Promise.all(vantageNames(specs).map(async (v) => ({ ...v, path: await inputFile(v.path, io.cwd) })));
      // A bundle is verified before anything of it is read; its report is the one it carries.
      const load = async (path: string): Promise<{ report: Report; bundle?: VerifiedBundle }> => {
        if (!(await evidence.isBundleFile(resolve(io.cwd, path)))) return { report: await loadReport(path, io.cwd) };
        const bundle = await evidence.openVerifiedBundle(path, io);
        return { report: parseReport(bundle.reportText, `${path} (reports/report.json)`), bundle };
      };
      // One report merges only when it is the single shard of a run (--shard 1/1); otherwise two are needed, whatever the one is.
      if (named.length < 2) {
        const only = named[0] ? await load(named[0].path).catch(() => undefined) : undefined;
        if (!only || !shards.isShardReport(only.report)) throw usageError('mergeNeedsTwo');
      }
      const outputs = await Promise.all(
        raw.reporter.map(async (spec) => {
          const [name = '', path] = spec.split(/=(.*)/s, 2);
          if (!reporters.isReporter(name)) throw usageError('unknownMergeReporter', { name, reporters: reporters.reporterNames.join(', ') });
          // A format named without a path goes beside the merged report.json, as a run's go into its --out folder.
          return { reporter: await reporters.loadReporter(name), path: path || join(dirname(raw.out), (await reporters.loadReporter(name)).defaultFile) };
        }),
      );
      const inputs = [];
      for (const { name, path } of named) inputs.push({ name, path, ...(await load(path)) });
      // Shards of one run (disjoint checks) and vantage points (the same checks from several places) merge differently, and never together.
      const shard = inputs.find((i) => shards.isShardReport(i.report));
      const other = inputs.find((i) => !shards.isShardReport(i.report));
      if (shard && other) throw usageError('shardAndVantage', { file: shard.path, index: shard.report.shard?.index ?? 0, count: shard.report.shard?.count ?? 0, other: other.path });
      if (raw.evidence) {
        if (other) throw usageError('mergeEvidenceNeedsShards', { file: other.path });
        const report = inputs.find((i) => !i.bundle);
        if (report) throw usageError('mergeEvidenceNeedsBundles', { file: report.path });
      }
      const signing = raw.evidence ? { key: await (await import('../signing.js')).loadSigningKey(raw.signKey, io), ...(raw.signKey ? { path: raw.signKey } : {}) } : undefined;
      const shardBundles = inputs.flatMap((i) => (i.bundle && shards.isShardReport(i.report) ? [{ bundle: i.bundle, report: i.report }] : [])).sort((a, b) => a.report.shard.index - b.report.shard.index);
      // Keys are compared before merging: a shard signed by another key is refused before anything is written.
      const keys = signing ? await evidence.checkShardKeys(shardBundles, signing) : undefined;
      const merged = shard ? await shards.mergeShards(inputs.map((i) => ({ file: i.path, report: i.report as ShardReport['report'] })), VERSION) : mergeReports(inputs, VERSION);
      if (signing?.key.kind === 'ephemeral') {
        const { EPHEMERAL_KEY_WARNING } = await import('../outputs.js');
        if (!merged.warnings.includes(EPHEMERAL_KEY_WARNING)) merged.warnings.push(EPHEMERAL_KEY_WARNING);
      }

      const write = async (path: string, data: string | Uint8Array): Promise<string> => {
        try {
          await writeFileAtomic(resolve(io.cwd, path), data, undefined, (p) => displayPath(p, io.cwd));
        } catch (err) {
          const why = outputProblem(err);
          if (why === undefined) throw err;
          throw usageError('fileUnwritable', { path, why });
        }
        return displayPath(resolve(io.cwd, path), io.cwd);
      };
      const written: string[] = [];
      for (const { path, text } of [{ path: raw.out, text: `${JSON.stringify(merged, null, 2)}\n` }, ...outputs.map((o) => ({ path: o.path, text: o.reporter.render(merged, {}) }))]) {
        written.push(await write(path, text));
      }
      let verified = '';
      if (raw.evidence && signing) {
        const { buildMergedBundle } = await import('../../evidence/bundle.js');
        const reports = await Promise.all(
          reporters.reporterNames.map(async (name) => {
            const reporter = await reporters.loadReporter(name);
            return { name: reporter.defaultFile, text: reporter.render(merged, {}), mediaType: MEDIA_TYPES[name] ?? 'text/plain' };
          }),
        );
        const parts = await Promise.all(shardBundles.map((s) => evidence.mergedShard(s, io.cwd)));
        const { bytes } = await buildMergedBundle({ report: merged, reports, shards: parts, key: signing.key });
        written.push(await write(raw.evidence, bytes));
        verified = `Verified ${shardBundles.length} shard bundles before taking them in: ${keys ?? ''}\n`;
      }
      if (io.env.GITHUB_STEP_SUMMARY) {
        // The job summary is a convenience: failing to append to it must not lose the merged report.
        const markdown = (await reporters.loadReporter('markdown')).render(merged, {});
        await appendFile(io.env.GITHUB_STEP_SUMMARY, `${markdown}\n`).catch((err: unknown) => io.stderr.write(`warning: cannot append the summary to $GITHUB_STEP_SUMMARY: ${outputProblem(err) ?? 'unwritable'}\n`));
      }
      io.stdout.write(`${shard ? shards.renderShardMerge(merged) : renderMerge(merged)}${verified}${written.map((w) => `Wrote ${w}\n`).join('')}`);
      setExit(shard && blockedOnlyBySetup(merged) ? EXIT.usage : merged.verdict === 'NOT READY' ? EXIT.notReady : EXIT.ok);
    });
};

export default register;

/** A folder given as an input stands for what a run wrote there: its evidence bundle when it has one, else its report.json. */
async function inputFile(path: string, cwd: string): Promise<string> {
  const info = await stat(resolve(cwd, path)).catch(() => undefined);
  if (!info?.isDirectory()) return path;
  const bundle = join(path, 'evidence.tar.gz');
  return (await stat(resolve(cwd, bundle)).catch(() => undefined))?.isFile() ? bundle : join(path, 'report.json');
}

/** `NAME=PATH` keeps its name; a bare path is named after its file, or its folder for `report.json`, `evidence.tar.gz` or a folder. */
function vantageNames(specs: string[]): { name: string; path: string }[] {
  const used = new Set<string>();
  return specs.map((spec) => {
    const match = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(spec);
    const path = match ? match[2]! : spec;
    const file = basename(path);
    const base = match ? match[1]! : file === 'report.json' || file === 'evidence.tar.gz' ? basename(dirname(resolve(path))) : file.replace(/\.(json|tar\.gz)$/i, '');
    let name = base || 'report';
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return { name, path };
  });
}
