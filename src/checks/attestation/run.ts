import { assertion } from '../../model/operators.js';
import type { Assertion, Outcome, Status } from '../../model/outcome.js';
import { plural } from '../../text.js';
import { messenger } from '../shared/messages.js';
import type { CheckContext, ParamsOf } from '../types.js';
import { inspect, type Problem } from './evidence.js';
import { messages } from './messages.js';
import type { meta } from './meta.js';

type Params = ParamsOf<typeof meta.schema>;

const DAY_MS = 86_400_000;
const say = messenger(messages);

/** Reads the evidence files and judges the attestation's dates. */
export async function run(params: Params, ctx: CheckContext): Promise<Outcome> {
  const entries = (Array.isArray(params.evidence) ? params.evidence : [params.evidence]).map((e: string | { file: string; sha256?: string }) => (typeof e === 'string' ? { file: e } : e));
  if (params.sha256 !== undefined) {
    if (entries.length > 1) return say.outcome('error', 'singleHashForMany');
    entries[0] = { ...entries[0]!, sha256: params.sha256 };
  }
  const { owner, date, expires } = params;
  if (expires < date) return say.outcome('error', 'datesReversed', { expires, date });

  const today = ctx.clock.now().toISOString().slice(0, 10);
  const daysLeft = Math.round((Date.parse(expires) - Date.parse(today)) / DAY_MS);
  const daysSince = Math.round((Date.parse(today) - Date.parse(date)) / DAY_MS);
  const assertions: Assertion[] = [
    assertion('days since attested', 'ge', 0, daysSince, `attestation is dated ${date}, after today (${today})`),
    assertion('days until expiry', 'ge', 0, daysLeft, `attestation expired on ${expires}`),
  ];
  const inspected = await Promise.all(entries.map((entry) => inspect(entry, ctx.baseDir, !ctx.target.sandbox)));
  entries.forEach((entry, i) => {
    const found = inspected[i]!;
    if (entry.sha256 && found.sha256) assertions.push(assertion(`sha256 ${found.name}`, 'eq', entry.sha256.toLowerCase(), found.sha256, `${found.name} changed since it was attested`));
  });

  const problems: Problem[] = inspected.flatMap((f) => (f.problem ? [f.problem] : []));
  if (daysSince < 0) problems.push({ id: 'datedInFuture', data: { date } });
  if (daysLeft < 0) problems.push({ id: 'expired', data: { owner, expires } });
  else if (daysLeft <= params.warnDays) problems.push({ id: 'expiring', data: { owner, expires, left: plural(daysLeft, 'day'), daysLeft } });

  const artifacts = inspected.flatMap((f) => (f.artifact ? [f.artifact] : []));
  const values = {
    owner,
    date,
    expires,
    daysLeft,
    files: inspected.filter((f) => f.sha256).map((f) => ({ file: f.name, sha256: f.sha256, bytes: f.bytes })),
  };
  const measurements = [{ name: 'days until expiry', value: daysLeft, unit: 'days' }];
  const rest = { assertions, measurements, artifacts, values };
  // A file that fails decides over one that cannot be read, which decides over a warning.
  const statusOf = (p: Problem): Status => messages[p.id].status;
  const status = (['fail', 'error', 'warn'] as const).find((level) => problems.some((p) => statusOf(p) === level));
  const worst = problems.find((p) => statusOf(p) === status);
  if (status && worst) {
    const others = problems.filter((p) => p !== worst);
    const more = others.length > 0 ? ` (+${others.length} more: ${others.map((p) => say.text(p.id, p.data)).join('; ')})` : '';
    return say.outcome(status, 'problems', { first: say.text(worst.id, worst.data), more, problem: worst.id, count: problems.length }, rest);
  }
  return say.outcome('pass', 'attested', { files: inspected.map((f) => f.name).join(', '), owner, date, expires, left: plural(daysLeft, 'day'), daysLeft }, rest);
}
