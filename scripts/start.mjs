// npm start: builds the web app when needed, then runs the server (migrations, demo data, listen).
import { register } from 'tsx/esm/api';
import { ensureWebBuild } from './lib/web-build.mjs';

ensureWebBuild();
register();
await import('../server/main.ts');
