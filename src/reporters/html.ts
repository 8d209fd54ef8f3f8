import { createHash } from 'node:crypto';
import type { Artifact } from '../model/outcome.js';
import type { InteractionLog } from '../model/interactions.js';
import type { CheckResult, Report } from '../model/report.js';
import { GUIDELINE_SECTIONS } from '../guidelines.js';
import { assertionText, countsText, formatMeasurement, formatNumber, gateText, isBlocking, problemsFirst, sectionScoreText, shortValue, stripControl, waiverText } from './common.js';
import { latencySvg } from './svg.js';
import type { FileReporter, RenderContext } from './types.js';
import { plural } from '../text.js';

/** Text artifacts longer than this are cut in the page (the bundle keeps them whole). */
const MAX_ARTIFACT_CHARS = 64 * 1024;
/** Images larger than this are listed, not embedded. */
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--error:#8250df;--warn:#9a6700;--skip:#59636e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--pass:#3fb950;--fail:#f85149;--error:#ab7df8;--warn:#d29922;--skip:#9198a1}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:72rem;padding:1rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg);overflow-wrap:break-word}
code{overflow-wrap:anywhere}th{white-space:nowrap}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .6rem;border-bottom:1px solid var(--line)}
.muted{color:var(--muted)}
.verdict{display:inline-block;padding:.2rem .7rem;border-radius:.4rem;color:#fff;font-weight:700}
.v-ready{background:var(--pass)}.v-waivers{background:var(--warn)}.v-not{background:var(--fail)}
.badge{display:inline-block;min-width:3.6rem;text-align:center;padding:0 .4rem;border-radius:.3rem;font-size:.8rem;font-weight:700;color:#fff}
.s-pass{background:var(--pass)}.s-fail{background:var(--fail)}.s-error{background:var(--error)}.s-warn{background:var(--warn)}.s-skip{background:var(--skip)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
meter{width:100%;min-width:4rem}
details{border:1px solid var(--line);border-radius:.4rem;margin:.4rem 0;background:var(--card)}
summary{cursor:pointer;padding:.5rem .6rem;list-style-position:inside}
.body{padding:0 .8rem .6rem}
pre{white-space:pre-wrap;word-break:break-word;background:var(--bg);border:1px solid var(--line);border-radius:.3rem;padding:.5rem;font-size:.8rem;max-height:30rem;overflow:auto}
code{font-size:.85em}
.warning{border-left:4px solid var(--warn);padding:.3rem .8rem;background:var(--card)}
.expired{color:var(--fail);font-weight:700}
img{max-width:100%;height:auto;border:1px solid var(--line)}
svg{width:100%;height:auto;max-width:40rem}.bar{fill:var(--fg);opacity:.75}.axis{stroke:var(--muted)}.label{fill:var(--muted);font-size:11px}
ul{padding-left:1.2rem}
`;

const VERDICT_CLASS: Record<string, string> = { READY: 'v-ready', 'READY WITH WAIVERS': 'v-waivers', 'NOT READY': 'v-not' };

/**
 * One self-contained HTML file: no external assets, no script, works offline and on a phone. A
 * restrictive Content-Security-Policy (no script, styles only by hash, images only as data:)
 * backs up the escaping of everything that came from a server.
 */
const html: FileReporter = {
  name: 'html',
  description: 'One self-contained HTML page: verdict, section scores, each check with assertions and evidence, latency histogram (inline SVG).',
  defaultFile: 'report.html',
  render(report, context) {
    const csp = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'`;
    const title = `payready: ${report.verdict} · ${report.suite.title}`;
    return [
      '<!DOCTYPE html>',
      '<html lang="en">',
      '<head>',
      '<meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<meta name="referrer" content="no-referrer">',
      `<title>${esc(title)}</title>`,
      `<style>${STYLE}</style>`,
      '</head>',
      '<body>',
      ...header(report),
      ...sections(report),
      ...vantages(report),
      ...latency(context.interactions),
      ...checks(report, context),
      `<p class="muted">payready ${esc(report.tool.version)} · report schema ${report.schemaVersion} · suite sha256 <code>${esc(report.suite.sha256)}</code></p>`,
      '</body>',
      '</html>',
      '',
    ].join('\n');
  },
};

export default html;

function header(report: Report): string[] {
  const env = report.environment;
  const out = [
    `<h1><span class="verdict ${VERDICT_CLASS[report.verdict] ?? 'v-not'}">${esc(report.verdict)}</span> ${esc(report.suite.title)}</h1>`,
    `<p>Suite <strong>${esc(report.suite.name)}</strong> (<code>${esc(report.suite.file)}</code>) against environment <strong>${esc(env.name)}</strong>${env.baseUrl ? ` (<code>${esc(env.baseUrl)}</code>)` : ''}${env.sandbox ? ', a sandbox' : ''}${env.faults?.length ? `, sandbox faults: ${env.faults.map((f) => `<code>${esc(f)}</code>`).join(', ')}` : ''}.</p>`,
    `<p>${esc(countsText(report))} · ${(report.durationMs / 1000).toFixed(1)} s · ${esc(report.startedAt)} to ${esc(report.finishedAt)}<br><span class="muted">${esc(gateText(report))}</span></p>`,
  ];
  if (report.incomplete) out.push('<p class="warning"><strong>Incomplete:</strong> the run was interrupted before every check finished.</p>');
  for (const w of report.warnings) out.push(`<p class="warning"><strong>Warning:</strong> ${esc(w)}</p>`);
  const blocking = report.results.filter((r) => isBlocking(r, report));
  if (blocking.length > 0) {
    out.push(`<h2>Fix these first (${blocking.length} blocking)</h2>`, '<ul>');
    for (const r of blocking) out.push(`<li><a href="#check-${anchor(r.id)}"><code>${esc(r.id)}</code></a> (${esc(r.section)}, ${esc(r.severity)}): ${esc(r.summary)}</li>`);
    out.push('</ul>');
  }
  return out;
}

function sections(report: Report): string[] {
  const out = ['<h2>Guideline sections</h2>', '<div class="scroll"><table>', '<thead><tr><th>section</th><th>score</th><th>passed</th></tr></thead><tbody>'];
  for (const [id, score] of Object.entries(report.sections)) {
    out.push(`<tr><td>${esc(id)} ${esc(GUIDELINE_SECTIONS[id] ?? '')}</td><td><meter min="0" max="${score.total}" low="${score.total - 0.5}" high="${score.total}" optimum="${score.total}" value="${score.passed}">${score.passed}/${score.total}</meter></td><td>${esc(sectionScoreText(score))}</td></tr>`);
  }
  out.push('</tbody></table></div>');
  return out;
}

function vantages(report: Report): string[] {
  if (!report.vantages?.length) return [];
  const names = report.vantages.map((v) => v.name);
  const out = ['<h2>Vantage points</h2>', '<div class="scroll"><table>', `<thead><tr><th>check</th>${names.map((n) => `<th>${esc(n)}</th>`).join('')}</tr></thead><tbody>`];
  out.push(`<tr><td><strong>verdict</strong></td>${report.vantages.map((v) => `<td>${esc(v.verdict)}</td>`).join('')}</tr>`);
  for (const r of report.results) {
    out.push(`<tr><td><code>${esc(r.id)}</code></td>${names.map((n) => (r.vantages?.[n] ? `<td>${badge(r.vantages[n]!.status)}</td>` : '<td>—</td>')).join('')}</tr>`);
  }
  out.push('</tbody></table></div>');
  return out;
}

function latency(interactions: InteractionLog | undefined): string[] {
  if (!interactions || interactions.overall.requests === 0) return [];
  const all = interactions.overall;
  const out = ['<h2>API latency</h2>', latencySvg(all.latency.bins(20), `Latency of ${all.requests} API calls`)];
  out.push('<div class="scroll"><table>', '<thead><tr><th>endpoint</th><th>calls</th><th>success</th><th>p50</th><th>p95</th><th>p99</th><th>max</th></tr></thead><tbody>');
  const rows = [...interactions.endpoints()].sort(([a], [b]) => a.localeCompare(b));
  for (const [name, s] of [['all calls', all] as const, ...rows]) {
    const success = s.requests === 0 ? 0 : (100 * s.successes) / s.requests;
    const ms = (p: number): string => `${formatNumber(s.latency.percentile(p))} ms`;
    out.push(`<tr><td><code>${esc(name)}</code></td><td>${s.requests}</td><td>${formatNumber(success)}%</td><td>${ms(50)}</td><td>${ms(95)}</td><td>${ms(99)}</td><td>${formatNumber(s.latency.max)} ms</td></tr>`);
  }
  out.push('</tbody></table></div>');
  return out;
}

function checks(report: Report, context: RenderContext): string[] {
  const out = ['<h2>Checks</h2>'];
  for (const r of problemsFirst(report)) out.push(...check(report, r, context.artifacts?.get(r.id) ?? []));
  return out;
}

function check(report: Report, r: CheckResult, artifacts: Artifact[]): string[] {
  const open = r.status === 'fail' || r.status === 'error' ? ' open' : '';
  const out = [
    `<details id="check-${anchor(r.id)}"${open}>`,
    `<summary>${badge(r.status)}${r.waived ? ' <strong>waived</strong>' : ''} <code>${esc(r.id)}</code> ${esc(r.title)} <span class="muted">· ${esc(r.section)} · ${esc(r.severity)}${r.attempts > 0 ? ` · ${formatNumber(r.durationMs)} ms` : ''}</span></summary>`,
    '<div class="body">',
    `<p>${esc(r.summary)}</p>`,
  ];
  const waiver = waiverText(r);
  if (waiver) out.push(`<p class="${r.waiver?.active ? '' : 'expired'}">${esc(waiver)}</p>`);
  out.push(`<p class="muted">type ${esc(r.type)} · ${plural(r.attempts, 'attempt')}${r.startedAt ? ` · started ${esc(r.startedAt)}` : ''}${r.tags.length ? ` · tags ${r.tags.map(esc).join(', ')}` : ''}${isBlocking(r, report) ? ' · <strong>blocks go-live</strong>' : ''}</p>`);
  if (r.assertions.length) {
    out.push('<div class="scroll"><table>', '<thead><tr><th></th><th>assertion</th><th>expected</th><th>actual</th></tr></thead><tbody>');
    for (const a of r.assertions) {
      out.push(`<tr><td>${badge(a.passed ? 'pass' : 'fail')}</td><td>${esc(a.passed ? `${a.name} ${a.operator}` : assertionText(a))}</td><td><code>${esc(shortValue(a.expected))}</code></td><td><code>${esc(shortValue(a.actual))}</code></td></tr>`);
    }
    out.push('</tbody></table></div>');
  }
  if (r.measurements.length) out.push(`<ul>${r.measurements.map((m) => `<li>${esc(m.name)}: <strong>${esc(formatMeasurement(m))}</strong></li>`).join('')}</ul>`);
  if (r.findings.length) out.push(`<ul>${r.findings.map((f) => `<li>${esc(f.level)} <code>${esc(f.rule)}</code>: ${esc(f.message)}${f.file ? ` (<code>${esc(f.file)}${f.line ? `:${f.line}` : ''}</code>)` : ''}</li>`).join('')}</ul>`);
  for (const ref of r.artifacts) out.push(...artifact(ref, artifacts.find((a) => a.name === ref.name)));
  out.push('</div>', '</details>');
  return out;
}

function artifact(ref: CheckResult['artifacts'][number], data: Artifact | undefined): string[] {
  const head = `<p><strong>Evidence</strong> <code>${esc(ref.name)}</code> <span class="muted">(${esc(ref.mediaType)}, ${plural(ref.bytes, 'byte')})${ref.description ? ` ${esc(ref.description)}` : ''}</span></p>`;
  if (!data) return [head];
  if (typeof data.data === 'string') {
    const cut = data.data.length > MAX_ARTIFACT_CHARS ? `${data.data.slice(0, MAX_ARTIFACT_CHARS)}\n… (${data.data.length - MAX_ARTIFACT_CHARS} more characters in the evidence bundle)` : data.data;
    return [head, `<pre>${esc(stripControl(cut, true))}</pre>`];
  }
  if ((data.mediaType === 'image/png' || data.mediaType === 'image/jpeg') && data.data.byteLength <= MAX_IMAGE_BYTES) {
    return [head, `<img alt="${attr(ref.name)}" src="data:${data.mediaType};base64,${Buffer.from(data.data).toString('base64')}">`];
  }
  return [head];
}

function badge(status: string): string {
  return `<span class="badge s-${esc(status)}">${esc(status.toUpperCase())}</span>`;
}

function anchor(id: string): string {
  return id.replace(/[^a-z0-9-]/gi, '-');
}

/** Escapes text for HTML element content (after dropping escape sequences and control characters). */
export function esc(text: string): string {
  return stripControl(text, true).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function attr(text: string): string {
  return esc(text);
}
