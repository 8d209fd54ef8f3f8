import type { Messages } from '../../model/messages.js';

const MOVE_FIX = 'Move the credential to an environment variable or a vault, rotate it (it is in the history of every copy), and purge it from the repository history if it was pushed.';

/** Every summary and finding the `secrets` type can produce. */
export const messages = {
  clean: { status: 'pass', text: 'no hard-coded credentials in {scanned}{allowed}' },
  leaks: {
    status: 'fail',
    text: '{credentials} in {scanned}{listed}, first {where} ({what}): move {them} to environment variables or a vault, and rotate {them}',
    fix: MOVE_FIX,
  },
  testKeys: {
    status: 'warn',
    text: '{credentials} in {scanned}{listed}, first {where}: read {them} from the environment too{allowed}',
    fix: 'Read test-mode keys from the environment too, so the code that reads live keys is the same; or list a documented example under `allow` with a reason.',
  },
  noFiles: {
    status: 'warn',
    text: "no files matched {paths}: point paths at the integration's source",
    fix: "Point `paths` at the integration's source folders.",
  },
  notAllScanned: {
    status: 'warn',
    text: 'no hard-coded credentials in {scanned}, but {unreadable}{allowed}',
    fix: 'Make the files readable (or leave them out with `exclude`): a file not scanned may hold a credential.',
  },
  badPath: {
    status: 'error',
    text: "{cause}: point paths at the integration's source folders",
    fix: 'Point `paths` at files or folders that exist (relative to the suite file).',
  },
  credentialFound: {
    status: ['fail', 'warn'],
    text: '{title} {masked} (fingerprint {fingerprint})',
    fix: `${MOVE_FIX} A test-mode key is a warning; an accepted one goes under \`allow\` with its reason.`,
  },
  envFileTracked: {
    status: 'fail',
    text: '{title}: its values are published with every clone; remove it with git rm --cached and add it to .gitignore',
    fix: 'Remove the file from git (`git rm --cached`), add it to .gitignore, and rotate the values it held.',
  },
  allowedFinding: { status: 'pass', text: '{finding}; allowed: {reason}' },
} as const satisfies Messages;
