import type { Messages } from '../../model/messages.js';

/** Every summary and problem the `attestation` type can produce. */
export const messages = {
  attested: { status: 'pass', text: '{files} attested by {owner} on {date}, valid until {expires} ({left})' },
  problems: {
    status: ['fail', 'error', 'warn'],
    text: '{first}{more}',
    fix: 'Fix each problem: the summary names the worst first (`problem` is its id) and lists the rest.',
  },
  singleHashForMany: {
    status: 'error',
    text: 'sha256 applies to a single evidence file: give each file its own ({ file, sha256 })',
    fix: 'With several evidence files, pin each one: `evidence: [{ file, sha256 }, ...]`.',
  },
  datesReversed: {
    status: 'error',
    text: 'attestation expires ({expires}) before it was made ({date}): fix the dates',
    fix: 'Set `date` to the day of the attestation and `expires` to a later day.',
  },
  datedInFuture: {
    status: 'fail',
    text: 'attestation is dated {date}, in the future: date it the day it was made',
    fix: 'Set `date` to the day the attestation was made.',
  },
  expired: {
    status: 'fail',
    text: 'attestation by {owner} expired on {expires}: review the evidence and renew it',
    fix: 'Have the owner review the evidence, then move `date` and `expires` forward (and the sha256 if the file changed).',
  },
  expiring: {
    status: 'warn',
    text: 'attestation by {owner} expires in {left}, on {expires}: renew it before then',
    fix: 'Review the evidence and renew the attestation before it expires (`warnDays` sets how early this warns).',
  },
  outsideFolder: {
    status: 'error',
    text: "{file} is outside the suite's folder: keep evidence files next to the suite (they go into the bundle)",
    fix: "Move the evidence file into the suite's folder and name it by a relative path.",
  },
  linksOutside: {
    status: 'error',
    text: "{file} links outside the suite's folder",
    fix: "Copy the file into the suite's folder instead of linking to it: a link must not pull another file into the bundle.",
  },
  fileMissing: {
    status: 'fail',
    text: 'evidence file {file} is missing: add it or update the attestation',
    fix: 'Add the evidence file, or point `evidence` at where it is now.',
  },
  fileTooLarge: {
    status: 'error',
    text: 'evidence file {file} is larger than {maxMb} MB: attach a summary and keep the original elsewhere',
    fix: 'Attest a summary of the document (with where the original is kept) instead of the document itself.',
  },
  fileUnreadable: {
    status: 'error',
    text: 'evidence file {file} cannot be read ({cause})',
    fix: 'Make the evidence file a regular file payready can read.',
  },
  fileChanged: {
    status: 'fail',
    text: '{file} changed since it was attested (sha256 {actual}..., attested {attested}...): review it and re-attest with its new sha256',
    fix: 'Have the owner review the changed file, then put its new sha256 (and a new date) in the attestation.',
  },
  templateLive: {
    status: 'fail',
    text: '{file} is still a payready template: replace it with your own evidence and re-attest',
    fix: 'Replace the shipped template with your own evidence, then update its sha256, owner and dates.',
  },
  templateSandbox: {
    status: 'warn',
    text: '{file} is a payready template (accepted on a sandbox run only): replace it with your own evidence before going live',
    fix: 'Replace the shipped template with your own evidence before running against a live environment.',
  },
} as const satisfies Messages;

/** The id of a problem message (everything that can stand in the `problems` summary). */
export type ProblemId = Exclude<keyof typeof messages, 'attested' | 'problems' | 'singleHashForMany' | 'datesReversed'>;
