import { PAN_RULES } from './pan.js';
import { ENV_FILE_RULE, SECRET_RULES } from './secret-rules.js';

/** What a file-scanner rule means and what to do about a finding, for code-scanning UIs. */
export interface RuleInfo {
  /** One line on what the rule finds. */
  title: string;
  /** What to do about a finding. */
  help: string;
  /** Guideline section the rule serves. */
  section: string;
  /** Level of its findings unless an allow entry turns one into a note. */
  level: 'error' | 'warning';
}

const CREDENTIAL_HELP =
  'Remove the credential from the file and rotate it at the provider (it stays in the git history). Read it at run time from an environment variable or a secrets vault (guideline 2.1).';
const PAN_HELP =
  'Never write a full card number to a log or file: mask it to the first six and last four digits at most before it is logged (PCI DSS requirement 3.4), and purge the files that hold it.';

const CATALOG: ReadonlyMap<string, RuleInfo> = new Map<string, RuleInfo>([
  ...SECRET_RULES.map((rule): [string, RuleInfo] => [rule.id, { title: rule.title, help: CREDENTIAL_HELP, section: '2.1', level: rule.level }]),
  [ENV_FILE_RULE.id, { title: ENV_FILE_RULE.title, help: 'Stop tracking the file (git rm --cached .env), add it to .gitignore, rotate every value it held, and commit a .env.example without values instead.', section: '2.1', level: 'error' }],
  [PAN_RULES.unmasked.id, { title: PAN_RULES.unmasked.title, help: PAN_HELP, section: '2.2', level: 'error' }],
  [PAN_RULES.testCard.id, { title: PAN_RULES.testCard.title, help: `A test card is no breach, but the code path that logged it will log real cards too. ${PAN_HELP}`, section: '2.2', level: 'warning' }],
]);

/** The description of a scanner rule, or undefined for a rule id no scanner uses. */
export function ruleInfo(id: string): RuleInfo | undefined {
  return CATALOG.get(id);
}
