import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { runCli as run } from '../../server/cli/cli.js';

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the admin command line in this process, as an operator would, with the given environment
 * and nothing else of this process's: the same function the `npm run cli` process calls.
 */
export async function runCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await run(args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
  });
  return { code, out, err };
}

const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/** Runs the command line as a real process (`tsx server/cli/main.ts`): for the smoke test only. */
export function spawnCli(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, 'server/cli/main.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}
