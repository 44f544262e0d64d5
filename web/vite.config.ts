import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { catalogueParts } from './build/catalogue-parts';
import { precompress } from './build/precompress';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const apiTarget = 'http://127.0.0.1:3000';

// Paths served by the Fastify server; the dev server (and `vite preview`) forwards them.
const proxied = ['/api', '/healthz', '/readyz', '/metrics', '/dev'];

export default defineConfig({
  root: webRoot,
  publicDir: 'public',
  plugins: [react(), catalogueParts(), precompress()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  },
  // Workers are named apart: the server keeps the page's CSP on them, since a worker started from a
  // URL is governed by its own response's headers (server/plugins/web.ts).
  worker: {
    rolldownOptions: { output: { entryFileNames: 'assets/[name].worker-[hash].js' } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Strict CSP: the polyfill would be an inline script, and inlined assets would be data: URIs.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // The libraries every page needs in one file, so the first page is a few requests, not
        // twenty small ones (each with a kilobyte of headers); the rest splits by page (decision 052).
        codeSplitting: {
          groups: [
            {
              name: 'framework',
              test: /node_modules[\\/](?:react|react-dom|scheduler|react-router|i18next|react-i18next|@tanstack|use-sync-external-store)[\\/]/,
            },
          ],
        },
      },
    },
  },
});
