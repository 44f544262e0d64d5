import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The architecture rules live in biome.json (the linter every commit already runs): no import
 * cycles; a module used only through its index.ts; no server code in the web app; values from
 * contracts only through *.codes.ts in the web (lint/web-contract-values.grit). This test runs the same linter, with the project's own
 * configuration, on the real tree and on a small tree with one planted violation of each rule, so
 * a rule that stops firing fails here.
 */
const root = join(import.meta.dirname, '..', '..');
const biome = join(
  dirname(createRequire(import.meta.url).resolve('@biomejs/biome/package.json')),
  'bin',
  'biome',
);

function lint(cwd: string, paths: string[]): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [biome, 'lint', '--max-diagnostics=200', ...paths], {
    cwd,
    encoding: 'utf8',
  });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

// Linting the tree takes a few seconds, more on a busy machine.
describe('architecture rules', { timeout: 120_000 }, () => {
  let planted: string;
  beforeAll(() => {
    planted = mkdtempSync(join(tmpdir(), 'onecare-architecture-'));
    const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8'));
    config.vcs = { enabled: false };
    config.$schema = undefined;
    writeFileSync(join(planted, 'biome.json'), JSON.stringify(config));
    cpSync(join(root, 'lint'), join(planted, 'lint'), { recursive: true });
    writeFileSync(
      join(planted, 'package.json'),
      JSON.stringify({ type: 'module', imports: { '#contracts/*': './contracts/*' } }),
    );
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(planted, path)), { recursive: true });
      writeFileSync(join(planted, path), text);
    };
    file('contracts/plans.codes.ts', "export const CATEGORY_CODES = ['lenti'] as const;\n");
    file(
      'contracts/plans.ts',
      "import { CATEGORY_CODES } from './plans.codes.js';\nexport const Categories = CATEGORY_CODES;\nexport type Category = (typeof CATEGORY_CODES)[number];\n",
    );
    file('server/app.ts', 'export const buildApp = () => 1;\n');
    // Allowed in the web: values from a codes file, types from a schema file.
    file(
      'web/src/allowed.ts',
      "import type { Category } from '#contracts/plans.js';\nimport { CATEGORY_CODES } from '#contracts/plans.codes.js';\nexport const first: Category = CATEGORY_CODES[0];\n",
    );
    // Planted: a value from a schema file, and server code, in the web app.
    file(
      'web/src/schema-value.ts',
      "import { Categories } from '#contracts/plans.js';\nexport const c = Categories;\n",
    );
    file(
      'web/src/server-code.ts',
      "import { buildApp } from '../../server/app.js';\nexport const b = buildApp;\n",
    );
    // A module used through its index.ts, and (planted) through one of its files.
    file('server/modules/auth/index.ts', "export { check } from './check.js';\n");
    file('server/modules/auth/check.ts', 'export const check = () => true;\n');
    file(
      'server/modules/plans/allowed.ts',
      "import { check } from '../auth/index.js';\nexport const ok = check;\n",
    );
    file(
      'server/modules/plans/internal.ts',
      "import { check } from '../auth/check.js';\nexport const ko = check;\n",
    );
    file(
      'server/cli/internal.ts',
      "import { check } from '../modules/auth/check.js';\nexport const ko = check;\n",
    );
    // Planted: a cycle between two modules.
    file('server/a.ts', "import { b } from './b.js';\nexport const a = () => b();\n");
    file('server/b.ts', "import { a } from './a.js';\nexport const b = () => a;\n");
  });
  afterAll(() => rmSync(planted, { recursive: true, force: true }));

  it('[engineer] the tree follows them', () => {
    const result = lint(root, ['server', 'contracts', 'web/src', 'tests', 'scripts', 'bench']);
    expect(result.output).not.toMatch(/noImportCycles|noRestrictedImports|plugin/);
    expect(result.code).toBe(0);
  });

  it('[engineer] a schema value or server code in the web app, a module reached past its index.ts, and an import cycle, are each refused', () => {
    const allowed = lint(planted, ['web/src/allowed.ts', 'contracts', 'server/app.ts']);
    expect(allowed.output).not.toMatch(/noImportCycles|noRestrictedImports|plugin/);

    const value = lint(planted, ['web/src/schema-value.ts']);
    expect(value.code).not.toBe(0);
    expect(value.output).toContain('only through contracts/*.codes.ts');

    const server = lint(planted, ['web/src/server-code.ts']);
    expect(server.code).not.toBe(0);
    expect(server.output).toContain('The web app never imports server code');

    const face = lint(planted, ['server/modules/plans/allowed.ts', 'server/modules/auth']);
    expect(face.output).not.toMatch(/noRestrictedImports/);
    for (const path of ['server/modules/plans/internal.ts', 'server/cli/internal.ts']) {
      const internal = lint(planted, [path]);
      expect(internal.code, path).not.toBe(0);
      expect(internal.output).toContain('A module is used only through its index.ts');
    }

    const cycle = lint(planted, ['server/a.ts', 'server/b.ts']);
    expect(cycle.code).not.toBe(0);
    expect(cycle.output).toContain('noImportCycles');
  });
});
