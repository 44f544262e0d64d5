import { runCli } from './cli.js';

/** The admin command line as a process: `npm run cli -- <command>` (see cli.ts). */
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
