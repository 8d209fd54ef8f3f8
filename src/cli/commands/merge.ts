import { basename, dirname, resolve } from 'node:path';
import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { usageError } from '../messages.js';
import { collect } from '../io.js';
import type { ShardReport } from '../../compare/shards.js';
import { VERSION, displayPath } from '../../paths.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('merge')
    .description(
      'merge report.json files into one: the shards of a sharded run (payready run --shard i/n) into the report one run would have written, or reports from several vantage points (status per vantage, the worst verdict wins); exit 1 when NOT READY',
    )
    .argument('<reports...>', 'report.json files, each as PATH or NAME=PATH (the name labels its vantage point; shards are told apart by their report)')
    .option('-o, --out <path>', 'where the merged report.json goes', 'merged-report.json')
    .option('--reporter <name=path>', 'also write the merged report in this format (junit, markdown, html); repeatable', collect, [])
    .action(async (specs: string[], raw: { out: string; reporter: string[] }) => {
      const [{ loadReport }, { mergeReports, renderMerge }, shards, reporters, { writeFileAtomic, outputProblem }, { blockedOnlyBySetup }] = await Promise.all([
        import('../../compare/load-report.js'),
        import('../../compare/merge.js'),
        import('../../compare/shards.js'),
        import('../../reporters/index.js'),
        import('../../evidence/write.js'),
        import('../../model/report.js'),
      ]);
      // One report merges only when it is the single shard of a run (--shard 1/1); otherwise two are needed, whatever the one is.
      if (specs.length < 2) {
        const only = await loadReport(vantageNames(specs)[0]?.path ?? '', io.cwd).catch(() => undefined);
        if (!only || !shards.isShardReport(only)) throw usageError('mergeNeedsTwo');
      }
      const outputs = await Promise.all(
        raw.reporter.map(async (spec) => {
          const [name = '', path] = spec.split(/=(.*)/s, 2);
          if (!reporters.isReporter(name)) throw usageError('unknownMergeReporter', { name, reporters: reporters.reporterNames.join(', ') });
          return { reporter: await reporters.loadReporter(name), path: path || (await reporters.loadReporter(name)).defaultFile };
        }),
      );
      const inputs = [];
      for (const { name, path } of vantageNames(specs)) inputs.push({ name, path, report: await loadReport(path, io.cwd) });
      // Shards of one run (disjoint checks) and vantage points (the same checks from several places) merge differently, and never together.
      const shard = inputs.find((i) => shards.isShardReport(i.report));
      const other = inputs.find((i) => !shards.isShardReport(i.report));
      if (shard && other) throw usageError('shardAndVantage', { file: shard.path, index: shard.report.shard?.index ?? 0, count: shard.report.shard?.count ?? 0, other: other.path });
      const merged = shard ? await shards.mergeShards(inputs.map((i) => ({ file: i.path, report: i.report as ShardReport['report'] })), VERSION) : mergeReports(inputs, VERSION);
      const written: string[] = [];
      for (const { path, text } of [{ path: raw.out, text: `${JSON.stringify(merged, null, 2)}\n` }, ...outputs.map((o) => ({ path: o.path, text: o.reporter.render(merged, {}) }))]) {
        try {
          await writeFileAtomic(resolve(io.cwd, path), text, undefined, (p) => displayPath(p, io.cwd));
        } catch (err) {
          const why = outputProblem(err);
          if (why === undefined) throw err;
          throw usageError('fileUnwritable', { path, why });
        }
        written.push(displayPath(resolve(io.cwd, path), io.cwd));
      }
      io.stdout.write(`${shard ? shards.renderShardMerge(merged) : renderMerge(merged)}${written.map((w) => `Wrote ${w}\n`).join('')}`);
      setExit(shard && blockedOnlyBySetup(merged) ? EXIT.usage : merged.verdict === 'NOT READY' ? EXIT.notReady : EXIT.ok);
    });
};

export default register;

/** `NAME=PATH` keeps its name; a bare path is named after its file, or its folder for `report.json`. */
function vantageNames(specs: string[]): { name: string; path: string }[] {
  const used = new Set<string>();
  return specs.map((spec) => {
    const match = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(spec);
    const path = match ? match[2]! : spec;
    const base = match ? match[1]! : basename(path) === 'report.json' ? basename(dirname(resolve(path))) : basename(path).replace(/\.json$/i, '');
    let name = base || 'report';
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return { name, path };
  });
}
