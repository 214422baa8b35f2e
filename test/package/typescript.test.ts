/**
 * From the packed tarball, as the README tells a TypeScript user: an ESM Express 5 app with
 * exactly the packages the Quick start's install line(s) name compiles the Quick start code
 * verbatim under `strict` with `skipLibCheck: false`; `passport-multistep/testing` has types
 * under `moduleResolution: node10` (typesVersions; TypeScript 5, the last with node10); and the
 * ESM entry points and the bin run.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { INSTALL_TIMEOUT_MS, declareApp, requireRegistry, root } from './support.js';

const run = promisify(execFile);

/** The README section under the heading that contains "Quick start" (up to the next heading of its level or above). */
export function quickStartSection(readme: string): string {
  const lines = readme.split('\n');
  let inFence = false;
  let start = -1;
  let level = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (!heading) continue;
    if (start < 0 && /quick start/i.test(heading[2]!)) { start = i; level = heading[1]!.length; continue; }
    if (start >= 0 && heading[1]!.length <= level) return lines.slice(start, i).join('\n');
  }
  if (start < 0) throw new Error('README.md has no heading containing "Quick start"');
  return lines.slice(start).join('\n');
}

/** The fenced code blocks of a markdown text, with their info string. */
function codeBlocks(markdown: string): Array<{ lang: string; code: string }> {
  return [...markdown.matchAll(/^(```|~~~)([^\n]*)\n([\s\S]*?)^\1\s*$/gm)].map((m) => ({ lang: m[2]!.trim().split(/\s+/)[0]!.toLowerCase(), code: m[3]! }));
}

/** The first ts block of the Quick start, verbatim. */
export function quickStartCode(readme: string): string {
  const block = codeBlocks(quickStartSection(readme)).find((b) => b.lang === 'ts' || b.lang === 'typescript');
  if (!block) throw new Error('the README Quick start has no ```ts code block');
  return block.code;
}

/** Every package the Quick start's `npm i` / `npm install` lines name (flags dropped). */
export function quickStartPackages(readme: string): string[] {
  const packages: string[] = [];
  for (const block of codeBlocks(quickStartSection(readme))) {
    if (!['sh', 'bash', 'shell', 'console', 'zsh', ''].includes(block.lang)) continue;
    for (const raw of block.code.split('\n')) {
      const line = raw.replace(/^\s*\$\s*/, '').replace(/\s+#.*$/, '').trim();
      const m = /^npm\s+(?:i|install|add)\s+(.+)$/.exec(line);
      if (!m) continue;
      for (const word of m[1]!.split(/\s+/)) if (word && !word.startsWith('-')) packages.push(word);
    }
  }
  return packages;
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const isOurs = (spec: string) => spec === 'passport-multistep' || spec.startsWith('passport-multistep@');

const tsconfig = (options: Record<string, unknown>, files: string[]) => JSON.stringify({ compilerOptions: options, files }, null, 2) + '\n';

const esmApp = declareApp({
  name: 'esm-express5-app',
  packageJson: { type: 'module' },
  // Exactly what the README names; the tarball stands in for passport-multistep.
  dependencies: () => {
    const named = quickStartPackages(readme);
    if (!named.some(isOurs)) throw new Error(`the README Quick start names no install line with passport-multistep (found: ${named.join(' ') || 'none'})`);
    return named.filter((spec) => !isOurs(spec));
  },
  files: () => ({
    'src/app.ts': quickStartCode(readme),
    'tsconfig.json': tsconfig({
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: false, noEmit: true,
    }, ['src/app.ts']),
  }),
});

const node10App = declareApp({
  name: 'node10-app',
  dependencies: ['typescript@5', '@types/node@20'],
  files: {
    'src/testing.ts': [
      "import { CyberArkSimulator, IdcsSimulator, OaaSimulator } from 'passport-multistep/testing';",
      "import { MultiStepStrategy, cyberark, type Step } from 'passport-multistep';",
      '',
      'export async function demo(): Promise<string> {',
      '  const sim: CyberArkSimulator = await CyberArkSimulator.start();',
      '  const url: string = sim.url;',
      '  // @ts-expect-error the types resolved: url is a string, not any',
      '  const wrong: number = sim.url;',
      "  const strategy = new MultiStepStrategy({ provider: cyberark({ url }), verify: async (profile) => ({ id: profile.id }) });",
      '  const step: Step | undefined = undefined;',
      '  await sim.close();',
      '  return [url, wrong, strategy.name, step, IdcsSimulator.name, OaaSimulator.name].join();',
      '}',
      '',
    ].join('\n'),
    'tsconfig.json': tsconfig({
      target: 'ES2022', module: 'commonjs', moduleResolution: 'node10', strict: true, skipLibCheck: false, noEmit: true,
      esModuleInterop: true, types: ['node'],
    }, ['src/testing.ts']),
  },
});

async function tsc(dir: string): Promise<void> {
  try {
    await run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, timeout: 120_000 });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`tsc failed in ${dir}:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

describe('package: TypeScript apps, from the packed tarball', function () {
  let esmDir: string;
  let node10Dir: string;

  before(async function () {
    this.timeout(INSTALL_TIMEOUT_MS + 60_000);
    requireRegistry(this);
    [esmDir, node10Dir] = await Promise.all([esmApp.ready(), node10App.ready()]);
  });

  it('the README Quick start names its install line(s), with express 5 and the TypeScript types', () => {
    const named = quickStartPackages(readme).map((spec) => spec.replace(/(?<=.)@.*$/, ''));
    expect(named).to.include.members(['passport-multistep', 'passport', 'express-session', 'express', 'typescript', '@types/node']);
    const { version } = JSON.parse(readFileSync(join(esmDir, 'node_modules/express/package.json'), 'utf8')) as { version: string };
    expect(version).to.match(/^5\./);
  });

  it('compiles the README Quick start verbatim: strict ESM (NodeNext), skipLibCheck: false, only the packages the README names', async function () {
    this.timeout(120_000);
    await tsc(esmDir);
  });

  it('resolves passport-multistep/testing types under moduleResolution: node10 (typesVersions)', async function () {
    this.timeout(120_000);
    await tsc(node10Dir);
  });

  it('the ESM entry points load and share one instance with require()', async function () {
    this.timeout(30_000);
    const script = [
      "import { createRequire } from 'node:module';",
      "import * as main from 'passport-multistep';",
      "import * as testing from 'passport-multistep/testing';",
      'const require = createRequire(import.meta.url);',
      "if (typeof main.MultiStepStrategy !== 'function' || typeof main.cyberark !== 'function') throw new Error('main exports missing');",
      "if (typeof testing.CyberArkSimulator !== 'function') throw new Error('testing exports missing');",
      "if (require('passport-multistep').MultiStepStrategy !== main.MultiStepStrategy) throw new Error('import and require give two copies');",
      "if (require('passport-multistep/testing').CyberArkSimulator !== testing.CyberArkSimulator) throw new Error('two copies of testing');",
      "console.log('ok');",
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: esmDir, timeout: 20_000 });
    expect(stdout.trim()).to.equal('ok');
  });

  it('the bin runs (passport-multistep --help)', async function () {
    this.timeout(30_000);
    const { stdout } = await run(join(esmDir, 'node_modules/.bin/passport-multistep'), ['--help'], { cwd: esmDir, timeout: 20_000 });
    expect(stdout).to.match(/passport-multistep check/);
  });
});
