import type { FileReporter } from './types.js';

/** The versioned report model as JSON: the source every other format is rendered from. */
const json: FileReporter = {
  name: 'json',
  description: 'The versioned JSON report model (schemaVersion, verdict, sections, results).',
  defaultFile: 'report.json',
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

export default json;
