import { resolve } from 'node:path';
import type { RegisterCommand } from './index.js';
import { EXIT } from '../../errors.js';
import { usageError } from '../messages.js';
import type { Verification } from '../../evidence/verify.js';
import { nounFor, plural } from '../../text.js';
import { FILE_LIMITS, FileReadError, openRegularFile, readRegularFile } from '../../files.js';
import { visible } from '../../reporters/common.js';

const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('verify')
    .description('verify an evidence bundle offline: every file hash and the Ed25519 signature; exit 0 intact, 1 not')
    .argument('<bundle>', 'evidence bundle (.tar.gz) written by --evidence')
    .option('--pubkey <pem>', "the team's Ed25519 public key: proves who signed, not only that nothing changed")
    .action(async (bundle: string, raw: { pubkey?: string }) => {
      const [{ verifyBundle }, { KeyError }] = await Promise.all([import('../../evidence/verify.js'), import('../../evidence/sign.js')]);
      // Streamed from a regular file: never read whole, never a FIFO or a device.
      const { handle } = await fileInput(() => openRegularFile(resolve(io.cwd, bundle), FILE_LIMITS.bundle), bundle);
      let result: Verification;
      try {
        const pem = raw.pubkey ? await fileInput(() => readRegularFile(resolve(io.cwd, raw.pubkey!), FILE_LIMITS.key), `--pubkey ${raw.pubkey}`) : undefined;
        result = await verifyBundle(handle.createReadStream({ autoClose: false }), pem ? { publicKeyPem: pem } : {});
      } catch (err) {
        if (err instanceof KeyError) throw usageError('pubkeyInvalid', { path: String(raw.pubkey), why: err.message });
        throw err;
      } finally {
        await handle.close();
      }
      io.stdout.write(renderVerification(result, bundle));
      setExit(result.ok ? EXIT.ok : EXIT.notReady);
    });
};

export default register;

async function fileInput<T>(read: () => Promise<T>, shown: string): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof FileReadError) throw usageError('fileUnreadable', { path: shown, why: err.message });
    throw err;
  }
}

/**
 * The verification in words: each problem on its own line naming the file, or what was proven.
 * Everything taken from the bundle (manifest fields, entry names) is shown with its control
 * characters escaped: a re-signed bundle cannot draw an "OK" line or hide a problem.
 */
export function renderVerification(v: Verification, shown: string): string {
  const m = v.manifest;
  const lines: string[] = [];
  if (!v.ok) {
    lines.push(`FAILED  ${visible(shown)}: ${v.problems.length} problem(s); this is not the bundle payready wrote`);
    for (const p of v.problems) lines.push(`  ${p.kind.padEnd(9)}  ${visible(p.file)}: ${visible(p.detail)}`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(`OK  ${visible(shown)}: ${plural(v.checked, 'file')} ${nounFor(v.checked, 'matches', 'match')} manifest.json; Ed25519 signature valid (key sha256 ${v.keySha256})`);
  if (m) {
    lines.push(`    suite ${visible(m.suite.name)} (${visible(m.suite.file)}, sha256 ${m.suite.sha256.slice(0, 16)}...), environment ${visible(m.environment.name)}, ${visible(m.startedAt)} to ${visible(m.finishedAt)}`);
    lines.push(`    verdict ${m.verdict}${m.incomplete ? ' (INCOMPLETE run)' : ''}; written by payready ${visible(m.tool.version)} on ${visible(m.host.hostname)} (${visible(m.host.platform)} ${visible(m.host.arch)}, Node ${visible(m.host.node)})`);
  }
  if (m?.shards?.length) {
    const keys = new Set(m.shards.map((s) => s.publicKeySha256));
    const signed = m.shards.every((s) => s.key === 'provided') && keys.size === 1 ? `all signed with one key (sha256 ${[...keys][0]!.slice(0, 16)}...${[...keys][0] === v.keySha256 ? ', the one that signed this bundle' : ''})` : 'each signed with its own run\'s key';
    lines.push(`    merged from ${plural(m.shards.length, 'shard bundle')} (${m.shards.map((s) => `${s.index}/${s.count} in ${visible(s.path)}/`).join(', ')}), ${signed}: each shard's signature and files verified again inside this bundle`);
  }
  if (v.keySource === 'given') lines.push('    signed by the key given with --pubkey: the bundle is unchanged and comes from its holder');
  else if (m?.signature.key === 'ephemeral') lines.push('    signed with an ephemeral key made for this run: proves the bundle is unchanged since it was written (integrity), not who wrote it');
  else lines.push("    checked with the key inside the bundle: proves integrity; pass --pubkey with the team's public key to prove who signed it");
  return `${lines.join('\n')}\n`;
}
