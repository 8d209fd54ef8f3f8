import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { usageError } from '../messages.js';
import { didYouMean } from '../../text.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('checks')
    .description('list check types, or explain one: its parameters, capture values and an example')
    .argument('[type]', 'a check type')
    .action(async (name: string | undefined) => {
      const registry = await import('../../checks/index.js');
      if (name) {
        if (!registry.isCheckType(name)) {
          throw usageError('unknownCheckType', { name, suggestion: didYouMean(name, registry.checkTypeNames), types: registry.checkTypeNames.join(', ') });
        }
        const { renderCheckHelp } = await import('../../checks/shared/describe.js');
        io.stdout.write(renderCheckHelp(await registry.loadCheckType(name)));
        setExit(EXIT.ok);
        return;
      }
      const types = await registry.loadAllCheckTypes();
      const width = Math.max(...types.map((t) => t.name.length));
      io.stdout.write(`Check types (${types.length}), the guideline items each can evidence, and what it does:\n`);
      for (const t of types) io.stdout.write(`  ${t.name.padEnd(width)}  ${t.items.join(' ')}\n  ${''.padEnd(width)}  ${t.description}\n`);
      io.stdout.write('\nA check proves only items its type can evidence. Run `payready checks <type>` for the items in words and its parameters.\n');
      setExit(EXIT.ok);
    });
};

export default register;
