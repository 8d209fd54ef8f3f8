// Bench driver: the pan-scan scanner on its own, as a whole process: walks the paths given and
// scans them with scanPanFiles (worker threads across files and pieces of large files, the cores
// available), then prints one JSON line: bytes, files, findings (count and a digest of where they
// are, to compare runs), the scan's wall time. No suite, no ajv: what the scanner costs.
// Usage: node bench/drivers/pan-scan.js <path>... [--workers N]
import { createHash } from 'node:crypto';
import { scanPanFiles } from '../../dist/scan/pan-pool.js';

const args = process.argv.slice(2);
const at = args.indexOf('--workers');
const workers = at === -1 ? undefined : Number(args.splice(at, 2)[1]);
const digest = createHash('sha256');
let findings = 0;
const started = performance.now();
const stats = await scanPanFiles(args, { baseDir: process.cwd(), gitignore: false, gunzip: true, now: () => performance.now(), ...(workers === undefined ? {} : { workers }) }, (file, hit) => {
  findings += 1;
  digest.update(`${file.name}:${hit.line}:${hit.column}:${hit.digits}\n`);
});
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ bytes: stats.bytes, files: stats.files, findings, digest: digest.digest('hex').slice(0, 16), ms })}\n`);
