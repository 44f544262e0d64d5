/**
 * Registry import benchmark: generates N valid registry rows (valid, coherent codici fiscali),
 * imports them through the real importer into SQLite and, when TEST_DATABASE_URL is set, into
 * PostgreSQL; in the same run inserts the same rows with a bare prepared statement (SQLite) and
 * COPY (PostgreSQL) as the baseline. Each import runs in its own process, so its peak RSS is its own.
 * Above 1,000,000 rows the importer also runs on the first 1,000,000 rows of the same file, in the
 * same invocation, so that the peak RSS of the two sizes can be compared (decision 056): memory must
 * not grow with the file. Last lines, one per database:
 *   import <sqlite|postgres>: <rows> rows, <rows/s> rows/s, ratio <importer ÷ bare>, peak RSS <MB> MB, cf lookup p99 <µs> us
 *   and, above 1,000,000 rows:
 *   import <sqlite|postgres> memory: <rows> rows peak RSS <MB> MB; 1,000,000 rows peak RSS <MB> MB; ratio <big ÷ 1M>
 *
 *   npm run bench:import [-- rows [--no-bare]]   (default 1,000,000; --no-bare: skip the bare baselines)
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCodiceFiscale } from '../server/modules/members/index.js';

const args = process.argv.slice(2);
const rows = Number(args.find((a) => !a.startsWith('--')) ?? 1_000_000);
const bareToo = !args.includes('--no-bare');
/** The size the peak RSS of a larger run is compared with. */
const REFERENCE_ROWS = 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'onecare-bench-import-'));
const file = join(dir, 'registry.csv');
const referenceFile = join(dir, 'registry-1m.csv');
const worker = fileURLToPath(new URL('./import-registry-worker.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

// Names with exactly three consonants each, so that every (surname, name) pair has its own code:
// 2,744 surnames × 200 names; past those 548,800 pairs the place of birth changes (H501, H502, …),
// so every row of any file up to hundreds of millions of rows is a member of its own.
const CONSONANTS = 'BCDFGLMNPRSTVZ';
const syllables = (i: number) => {
  const c = (k: number) => CONSONANTS[Math.floor(i / CONSONANTS.length ** k) % CONSONANTS.length] ?? 'B';
  return `${c(0)}a${c(1).toLowerCase()}o${c(2).toLowerCase()}i`;
};
const namesPerSurname = 200;
const pairs = CONSONANTS.length ** 3 * namesPerSurname;

/** The file of `count` rows; a smaller file is the start of a larger one. */
async function generate(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(
    'codice_fiscale;cognome;nome;data_nascita;email;piano;ruolo;titolare_cf;inizio_copertura;fine_copertura\n',
  );
  for (let i = 0; i < count; i++) {
    const surname = syllables(Math.floor(i / namesPerSurname));
    const name = syllables((i % namesPerSurname) + 7);
    const birthDate = `19${50 + (i % 50)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    const sex = i % 2 === 0 ? 'M' : 'F';
    const placeCode = `H${String(501 + Math.floor(i / pairs)).padStart(3, '0')}`;
    const cf = generateCodiceFiscale({ surname, name, birthDate, sex, placeCode });
    const email = i % 3 === 0 ? '' : `m${i}@example.test`;
    await write(`${cf};${surname};${name};${birthDate};${email};BENCH-PLAN;titolare;;2026-01-01;\n`);
  }
  await new Promise<void>((r) => out.end(() => r()));
}

function run(
  mode: string,
  target: string,
  source = file,
): { seconds: number; maxRssMb: number; rows: number; lookupP99Us?: number } {
  const out = execFileSync(process.execPath, [tsx, worker, mode, target, source], {
    encoding: 'utf8',
    env: process.env,
    maxBuffer: 1 << 20,
  });
  const last = out.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(last);
}

const compare = rows > REFERENCE_ROWS;
const started = Date.now();
await generate(file, rows);
if (compare) await generate(referenceFile, REFERENCE_ROWS);
console.log(`generated ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const n = (x: number) => x.toLocaleString('en-US');
const lines: string[] = [];
try {
  const targets: Array<['sqlite' | 'postgres', string]> = [['sqlite', join(dir, 'bench.db')]];
  if (process.env.TEST_DATABASE_URL) targets.push(['postgres', process.env.TEST_DATABASE_URL]);
  for (const [dialect, target] of targets) {
    const fresh = (name: string) => {
      if (dialect !== 'sqlite') return target;
      for (const suffix of ['', '-wal', '-shm']) rmSync(join(dir, `${name}${suffix}`), { force: true });
      return join(dir, name);
    };
    const bare = bareToo ? run(`${dialect}-bare`, fresh('bare.db')) : undefined;
    if (bare) rmSync(join(dir, 'bare.db'), { force: true });
    const importer = run(`${dialect}-importer`, fresh('bench.db'));
    const rate = importer.rows / importer.seconds;
    if (bare) {
      console.log(
        `${dialect} bare: ${bare.rows} rows in ${bare.seconds.toFixed(2)} s (${Math.round(bare.rows / bare.seconds)} rows/s), peak RSS ${bare.maxRssMb} MB`,
      );
    }
    console.log(`${dialect} importer: ${importer.rows} rows in ${importer.seconds.toFixed(2)} s`);
    const ratio = bare ? `ratio ${(rate / (bare.rows / bare.seconds)).toFixed(2)}, ` : '';
    lines.push(
      `import ${dialect}: ${importer.rows} rows, ${Math.round(rate)} rows/s, ${ratio}peak RSS ${importer.maxRssMb} MB, cf lookup p99 ${importer.lookupP99Us} us`,
    );
    if (compare) {
      const reference = run(`${dialect}-importer`, fresh('bench.db'), referenceFile);
      console.log(
        `${dialect} importer: ${reference.rows} rows in ${reference.seconds.toFixed(2)} s (${Math.round(reference.rows / reference.seconds)} rows/s)`,
      );
      lines.push(
        `import ${dialect} memory: ${n(importer.rows)} rows peak RSS ${importer.maxRssMb} MB; ${n(reference.rows)} rows peak RSS ${reference.maxRssMb} MB; ratio ${(importer.maxRssMb / reference.maxRssMb).toFixed(2)}`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const l of lines) console.log(l);
