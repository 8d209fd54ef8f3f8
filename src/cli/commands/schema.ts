import type { RegisterCommand } from './index.js';

const register: RegisterCommand = (program, io) => {
  program
    .command('schema')
    .description('print the JSON Schema of suite files (for editors: # yaml-language-server: $schema=...)')
    .action(async () => {
      const { buildSuiteSchema } = await import('../../suite/schema.js');
      io.stdout.write(`${JSON.stringify(await buildSuiteSchema(), null, 2)}\n`);
    });
};

export default register;
