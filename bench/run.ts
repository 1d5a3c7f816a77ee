// Runs the benchmarks (all, or those named on the command line), prints each report and keeps
// it in bench/results/<name>.md; bench/RESULTS.md is rebuilt from those files.
// Each bench/<name>.ts default-exports `async () => string`: a markdown section with the date,
// the machine and the figures side by side with the anchors, ratio included.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const ALL = ['log-scan', 'log-scan-kafka', 'ssh-probe', 'resilient-http', 'config-schema', 'image-builder', 'host-metrics'];
// `--collect` only rebuilds RESULTS.md from the kept reports.
const args = process.argv.slice(2);
const collectOnly = args.includes('--collect');
const names = collectOnly ? [] : args.length ? args : ALL;

let failed = 0;
for (const name of names) {
  if (!existsSync(join(here, `${name}.ts`))) {
    console.log(`## ${name}\n\nno benchmark yet\n`);
    continue;
  }
  console.log(`\n=== ${name} ===`);
  try {
    const mod = (await import(`./${name}.ts`)) as { default: () => Promise<string> };
    const report = await mod.default();
    console.log(report);
    writeFileSync(join(here, 'results', `${name}.md`), report.trim() + '\n');
  } catch (error) {
    failed++;
    console.error(`bench ${name} failed:`, error);
  }
}

const sections = readdirSync(join(here, 'results')).filter((f) => f.endsWith('.md')).sort()
  .map((f) => readFileSync(join(here, 'results', f), 'utf8').trim());
writeFileSync(join(here, 'RESULTS.md'), `# Benchmark results\n\nLatest figures of \`pnpm bench\`, one section per library, each measured beside its anchors in the same run.\n\n${sections.join('\n\n')}\n`);
process.exitCode = failed ? 1 : 0;
