import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { RegisterCommand } from './index.js';
import { EXIT, UsageError } from '../../errors.js';
import type { Verification } from '../../evidence/verify.js';
import { nounFor, plural } from '../../text.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('verify')
    .description('verify an evidence bundle offline: every file hash and the Ed25519 signature; exit 0 intact, 1 not')
    .argument('<bundle>', 'evidence bundle (.tar.gz) written by --evidence')
    .option('--pubkey <pem>', "the team's Ed25519 public key: proves who signed, not only that nothing changed")
    .action(async (bundle: string, raw: { pubkey?: string }) => {
      const [{ verifyBundle }, { KeyError }] = await Promise.all([import('../../evidence/verify.js'), import('../../evidence/sign.js')]);
      const bytes = await readInput(resolve(io.cwd, bundle), bundle);
      const pem = raw.pubkey ? await readInput(resolve(io.cwd, raw.pubkey), raw.pubkey) : undefined;
      let result: Verification;
      try {
        result = await verifyBundle(bytes, pem ? { publicKeyPem: pem } : {});
      } catch (err) {
        if (err instanceof KeyError) throw new UsageError(`--pubkey ${raw.pubkey}: ${err.message}`, 'give the PEM public key: openssl pkey -in payready-sign.pem -pubout -out payready-sign.pub.pem');
        throw err;
      }
      io.stdout.write(renderVerification(result, bundle));
      setExit(result.ok ? EXIT.ok : EXIT.notReady);
    });
};

export default register;

async function readInput(path: string, shown: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'unreadable')}`);
  }
}

/** The verification in words: each problem on its own line naming the file, or what was proven. */
export function renderVerification(v: Verification, shown: string): string {
  const m = v.manifest;
  const lines: string[] = [];
  if (!v.ok) {
    lines.push(`FAILED  ${shown}: ${v.problems.length} problem(s); this is not the bundle payready wrote`);
    for (const p of v.problems) lines.push(`  ${p.kind.padEnd(9)}  ${p.file}: ${p.detail}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`OK  ${shown}: ${plural(v.checked, 'file')} ${nounFor(v.checked, 'matches', 'match')} manifest.json; Ed25519 signature valid (key sha256 ${v.keySha256})`);
  if (m) {
    lines.push(`    suite ${m.suite.name} (${m.suite.file}, sha256 ${m.suite.sha256.slice(0, 16)}...), environment ${m.environment.name}, ${m.startedAt} to ${m.finishedAt}`);
    lines.push(`    verdict ${m.verdict}${m.incomplete ? ' (INCOMPLETE run)' : ''}; written by payready ${m.tool.version} on ${m.host.hostname} (${m.host.platform} ${m.host.arch}, Node ${m.host.node})`);
  }
  if (v.keySource === 'given') lines.push('    signed by the key given with --pubkey: the bundle is unchanged and comes from its holder');
  else if (m?.signature.key === 'ephemeral') lines.push('    signed with an ephemeral key made for this run: proves the bundle is unchanged since it was written (integrity), not who wrote it');
  else lines.push("    checked with the key inside the bundle: proves integrity; pass --pubkey with the team's public key to prove who signed it");
  return `${lines.join('\n')}\n`;
}
