// Build: the code is compiled once, to CommonJS with .d.ts (dist/cjs); the ESM entry points
// (dist/esm) are thin wrappers that re-export it. One copy of the code in the package (half the
// size of two builds), and an app that both imports and requires the package gets one instance
// (one MultiStepStrategy class, one set of locks). No source maps: they would point at .ts
// sources the package does not ship. `npm run typecheck` still checks the sources as NodeNext
// ESM (tsconfig.json).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const tsc = (project, ...flags) => execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project, ...flags], { stdio: 'inherit' });
rmSync('dist', { recursive: true, force: true });
// The JavaScript without comments (a third of its size; the package has a size budget), the
// declarations with them: the TSDoc is what editors show.
tsc('tsconfig.cjs.json', '--removeComments', '--declaration', 'false');
tsc('tsconfig.cjs.json', '--emitDeclarationOnly');
writeFileSync('dist/cjs/package.json', JSON.stringify({ type: 'commonjs' }) + '\n');

/** The package's entry points (package.json `exports` and `bin`), relative to dist/{esm,cjs}. */
const entries = ['index', 'testing/index'];
const write = (file, text) => { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, text); };
const cjsPath = (entry) => `${relative(dirname(`dist/esm/${entry}`), `dist/cjs/${entry}`).replaceAll('\\', '/')}.js`; // '../cjs/…'
for (const entry of entries) {
  const target = cjsPath(entry);
  write(`dist/esm/${entry}.js`, `export * from '${target}';\n`);
  write(`dist/esm/${entry}.d.ts`, `export * from '${target}';\n`);
}
write('dist/esm/cli.js', `#!/usr/bin/env node\nimport '${cjsPath('cli')}';\n`);
write('dist/esm/cli.d.ts', 'export {};\n');
chmodSync('dist/esm/cli.js', 0o755);
chmodSync('dist/cjs/cli.js', 0o755);

// Every name the CommonJS build exports must come through the ESM wrapper (Node finds CommonJS
// export names by lexing the file; a pattern it does not recognise would silently drop a name).
const require = createRequire(import.meta.url);
for (const entry of entries) {
  const cjsNames = Object.keys(require(`../dist/cjs/${entry}.js`)).filter((name) => name !== '__esModule').sort();
  const esmNames = Object.keys(await import(pathToFileURL(`dist/esm/${entry}.js`).href)).filter((name) => name !== '__esModule' && name !== 'default').sort();
  const missing = cjsNames.filter((name) => !esmNames.includes(name));
  if (missing.length > 0 || esmNames.length !== cjsNames.length) {
    throw new Error(`dist/esm/${entry}.js does not re-export ${missing.join(', ') || '(extra names: ' + esmNames.join(', ') + ')'} of dist/cjs/${entry}.js`);
  }
}
