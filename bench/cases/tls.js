// Budget (docs/performance.md): the `tls` check's full protocol, cipher and chain probe of one host takes
// under 0.3 s on loopback, with the same protocol verdicts as testssl.sh (Debian package
// `testssl.sh`). Both tools probe the same sandbox processes: one as shipped (TLS 1.2 + 1.3) and
// one with the legacy-tls fault (TLS 1.0 to 1.3).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, round, runCheckProcess, startSandboxProcess, timeProcess } from '../lib.js';

const VERSIONS = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
// testssl.sh's JSON ids for the same versions.
const TESTSSL_IDS = { TLS1: 'TLSv1', TLS1_1: 'TLSv1.1', TLS1_2: 'TLSv1.2', TLS1_3: 'TLSv1.3' };

function testssl() {
  for (const name of ['testssl', 'testssl.sh']) if (spawnSync(name, ['--version']).status === 0) return name;
  return undefined;
}

/** testssl.sh -p: wall time and the versions it reports as offered. */
function testsslProtocols(command, host, port) {
  const dir = mkdtempSync(join(tmpdir(), 'payready-testssl-'));
  try {
    const json = join(dir, 'out.json');
    const { ms } = timeProcess(command, ['--quiet', '--color', '0', '--warnings', 'batch', '-p', '--jsonfile', json, `${host}:${port}`]);
    const offered = JSON.parse(readFileSync(json, 'utf8'))
      .filter((f) => f.id in TESTSSL_IDS && /^offered/.test(f.finding))
      .map((f) => TESTSSL_IDS[f.id]);
    return { ms, offered: VERSIONS.filter((v) => offered.includes(v)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function tls({ runs }) {
  const plain = await startSandboxProcess();
  const legacy = await startSandboxProcess(['legacy-tls']);
  const results = [];
  try {
    const params = (f) => ({ host: f.host, port: f.port, minVersion: 'TLSv1.2', verify: ['protocols', 'ciphers', 'certificate'] });
    const samples = [];
    const processSamples = [];
    for (let i = 0; i < runs; i++) {
      const out = runCheckProcess('tls', params(plain.fields), plain.fields.caFile);
      if (out.status !== 'pass') throw new Error(`tls check: ${out.status} ${out.summary}`);
      samples.push(out.runMs);
      processSamples.push(out.wallMs);
    }
    const ours = {
      plain: runCheckProcess('tls', params(plain.fields), plain.fields.caFile),
      legacy: runCheckProcess('tls', params(legacy.fields), legacy.fields.caFile),
    };
    results.push({ name: 'tls check run(): 4 version probes + 6 weak-suite probes + chain, one host', unit: 'ms', median: round(median(samples), 1), samples: samples.map((s) => round(s, 1)), budget: '< 300 ms', ok: median(samples) < 300 });
    results.push({ name: 'tls check, whole process (node start, imports, run)', unit: 'ms', median: round(median(processSamples), 1), samples: processSamples.map((s) => round(s, 1)) });

    const tool = testssl();
    if (!tool) {
      results.push({ name: 'testssl.sh -p', note: 'testssl.sh not installed (apt-get install testssl.sh): no peer figure' });
      return results;
    }
    const theirs = { plain: testsslProtocols(tool, plain.fields.host, plain.fields.port), legacy: testsslProtocols(tool, legacy.fields.host, legacy.fields.port) };
    for (const which of ['plain', 'legacy']) {
      const verdicts = { payready: ours[which].values.versions, testssl: theirs[which].offered };
      const same = JSON.stringify(verdicts.payready) === JSON.stringify(verdicts.testssl);
      results.push({ name: `protocol verdicts, sandbox ${which === 'plain' ? 'as shipped' : 'with legacy-tls'}`, unit: 'versions', median: verdicts.payready.join(' '), peer: 'testssl.sh -p', peerValue: verdicts.testssl.join(' '), budget: 'same verdicts', ok: same, payreadySummary: ours[which].summary });
    }
    const ratio = theirs.plain.ms / median(samples);
    results.push({ name: 'testssl.sh -p wall time (one host, protocols only)', unit: 'ms', median: round(theirs.plain.ms, 1), note: `tls check run() is ${round(ratio, 0)}x faster and also probes ciphers and the chain` });
  } finally {
    await Promise.all([plain.stop(), legacy.stop()]);
  }
  return results;
}
