/**
 * `npm run bench:profile-summary -- <file.cpuprofile> [--top N]`: self time of a CPU profile by
 * package (node_modules/<pkg>), by our folders (libs/core, apps/api, …), Node core, GC and V8,
 * and the top functions. When `npm run bench:intake -- --profile` wrote a `<file>.window.json`
 * beside the profile, only the samples of the measured window count. Without a file argument it
 * reads the newest profile in bench/results/profiles.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatProfileSummary, summarizeProfile } from './lib/intake/profile';

function newestProfile(folder: string): string | undefined {
  if (!existsSync(folder)) {
    return undefined;
  }
  return readdirSync(folder)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(folder, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

function main(): void {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 25;
  const file =
    args.find((arg, index) => !arg.startsWith('--') && (topIndex < 0 || index !== topIndex + 1)) ??
    newestProfile(join(__dirname, 'results', 'profiles'));
  if (!file || !existsSync(file)) {
    process.stderr.write(
      'usage: npm run bench:profile-summary -- <file.cpuprofile> [--top N]\n' +
        '(no file given and none in bench/results/profiles)\n',
    );
    process.exit(1);
  }
  const windowFile = `${file}.window.json`;
  const window = existsSync(windowFile)
    ? (JSON.parse(readFileSync(windowFile, 'utf8')) as {
        startUs: number;
        endUs: number;
        processCpu?: { totalMs?: number; systemMs?: number };
      })
    : undefined;
  const summary = summarizeProfile(file, window, Number.isFinite(top) ? top : 25);
  process.stdout.write(`${formatProfileSummary(summary, 15, window?.processCpu)}\n`);
}

main();
