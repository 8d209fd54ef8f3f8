import type { Artifact } from '../model/outcome.js';
import type { InteractionLog } from '../model/interactions.js';
import type { Report } from '../model/report.js';

/** What a file reporter may draw on besides the report model. */
export interface RenderContext {
  /** Interaction aggregates (latency histogram for the HTML report). */
  interactions?: InteractionLog;
  /** Artifacts per check id, already redacted. */
  artifacts?: Map<string, Artifact[]>;
}

/** A file format rendered from the report model: a pure function, like ESLint's formatters. */
export interface FileReporter {
  /** Registry key, used in `--reporter NAME[=PATH]`. */
  name: string;
  /** One line on the format. */
  description: string;
  /** File name written into `--out` when no path is given. */
  defaultFile: string;
  /** Renders the report. */
  render(report: Report, context: RenderContext): string;
}
