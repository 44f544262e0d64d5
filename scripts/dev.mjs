// npm run dev: the server with reload on change (tsx watch) and the web app with hot reload (Vite).
// Open http://localhost:5173; API calls are proxied to the server on :3000.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const env = { ...process.env, PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://localhost:5173' };
const children = [
  spawn(process.execPath, [require.resolve('tsx/cli'), 'watch', '--clear-screen=false', 'server/main.ts'], {
    stdio: 'inherit',
    env,
  }),
  spawn(
    process.execPath,
    [join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js'), '--config', 'web/vite.config.ts'],
    { stdio: 'inherit', env },
  ),
];
const stop = () => {
  for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children)
  c.on('exit', (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
