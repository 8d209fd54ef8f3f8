import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { usageError } from '../messages.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('diff')
    .description('compare two report.json files: new failures, fixed checks, measurements that moved; exit 1 on a regression')
    .argument('<old>', 'the earlier report.json')
    .argument('<new>', 'the later report.json')
    .option('--tolerance <percent>', 'how far a measurement may move before it is listed', '20')
    .option('--json', 'print the differences as JSON', false)
    .action(async (oldFile: string, newFile: string, raw: { tolerance: string; json: boolean }) => {
      const tolerance = Number(raw.tolerance.replace(/%$/, ''));
      if (!Number.isFinite(tolerance) || tolerance < 0) throw usageError('badTolerance', { value: String(raw.tolerance) });
      const [{ loadReport }, { diffReports, renderDiff }] = await Promise.all([import('../../compare/load-report.js'), import('../../compare/diff.js')]);
      // One after the other, so a mistake in both files is always reported for the first.
      const before = await loadReport(oldFile, io.cwd);
      const after = await loadReport(newFile, io.cwd);
      const diff = diffReports(before, after, tolerance);
      io.stdout.write(raw.json ? `${JSON.stringify(diff, null, 2)}\n` : renderDiff(diff, { old: oldFile, new: newFile }));
      setExit(diff.regressions > 0 ? EXIT.notReady : EXIT.ok);
    });
};

export default register;
