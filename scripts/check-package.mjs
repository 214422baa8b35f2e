#!/usr/bin/env node
// Checks what `npm pack` would publish (run after `npm run build`; `npm test` does):
// - the unpacked size is within the budget (1.2 MB);
// - no source map, no TypeScript source (other than .d.ts), no sourceMappingURL comment;
// - LICENSE, CHANGELOG.md and README.md are in it, and every file package.json names (main,
//   module, types, bin, exports, typesVersions) is;
// - every bare package a published .js file imports or requires is a dependency, a peer
//   dependency or a Node builtin, and every relative import resolves to a published file;
// - every bare package a published .d.ts refers to is a Node builtin (types from @types/node) or
//   a dependency that ships its own types: an app compiling with `skipLibCheck: false` needs
//   nothing else (no @types of our dependencies, no express or passport types).
// Dependencies no published file imports are reported as a warning.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 1_200_000;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const problems = [];
const warnings = [];

if (!existsSync(join(root, 'dist'))) {
  console.error('check-package: no dist/ (run `npm run build` first)');
  process.exit(1);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const [packed] = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
const files = new Set(packed.files.map((f) => f.path));
const read = (path) => readFileSync(join(root, path), 'utf8');

// Size.
if (packed.unpackedSize > BUDGET_BYTES) {
  problems.push(`unpacked size ${packed.unpackedSize} bytes is over the budget of ${BUDGET_BYTES} bytes`);
}

// What must and must not be shipped.
for (const required of ['LICENSE', 'CHANGELOG.md', 'README.md', 'package.json']) {
  if (!files.has(required)) problems.push(`${required} is not in the package`);
}
for (const path of files) {
  if (path.endsWith('.map')) problems.push(`source map shipped: ${path}`);
  if (/\.[cm]?tsx?$/.test(path) && !/\.d\.[cm]?ts$/.test(path)) problems.push(`TypeScript source shipped: ${path}`);
  if (/\.([cm]?js|d\.[cm]?ts)$/.test(path) && /^\/\/# source(Mapping)?URL=/m.test(read(path))) {
    problems.push(`sourceMappingURL comment in ${path} (no map is shipped)`);
  }
}

// Files package.json names.
const named = new Set();
const collect = (value) => {
  if (typeof value === 'string') named.add(value);
  else if (Array.isArray(value)) value.forEach(collect);
  else if (value && typeof value === 'object') Object.values(value).forEach(collect);
};
collect([pkg.main, pkg.module, pkg.types, pkg.typings, pkg.bin, pkg.exports, pkg.typesVersions]);
for (const target of named) {
  if (target.includes('*')) continue;
  const path = posix.normalize(target.replace(/^\.\//, ''));
  if (!files.has(path)) problems.push(`package.json names ${target}, which is not in the package`);
}

// Imports of the published code.
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isBuiltin = (spec) => spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0]);
const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const dependencies = new Set(Object.keys(pkg.dependencies ?? {}));
const peers = new Set(Object.keys(pkg.peerDependencies ?? {}));
const used = new Set();

/** Whether a dependency ships its own type declarations (no @types package needed). */
const shipsTypes = (name) => {
  const dir = join(root, 'node_modules', name);
  if (!existsSync(join(dir, 'package.json'))) return false;
  const dep = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (dep.types || dep.typings || existsSync(join(dir, 'index.d.ts'))) return true;
  return JSON.stringify(dep.exports ?? null).includes('"types"');
};

const resolveRelative = (from, spec, declaration) => {
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const candidates = declaration
    ? [base.replace(/\.([cm]?)js$/, '.d.$1ts'), `${base}.d.ts`, `${base}/index.d.ts`, base]
    : [base, `${base}.js`, `${base}/index.js`];
  return candidates.some((c) => files.has(c));
};

for (const path of files) {
  const declaration = /\.d\.[cm]?ts$/.test(path);
  if (!declaration && !/\.[cm]?js$/.test(path)) continue;
  const source = read(path);
  const specifiers = moduleSpecifiers(source);
  if (declaration) {
    for (const match of source.matchAll(/^\/\/\/\s*<reference\s+types\s*=\s*["']([^"']+)["']/gm)) specifiers.push(match[1]);
  }
  for (const spec of specifiers) {
    if (spec.startsWith('.')) {
      if (!resolveRelative(path, spec, declaration)) problems.push(`${path} imports ${spec}, which is not in the package`);
      continue;
    }
    if (isBuiltin(spec)) continue;
    const name = packageName(spec);
    if (name === pkg.name) continue;
    if (declaration) {
      if (!dependencies.has(name)) problems.push(`${path} refers to the types of ${spec}, which is not a dependency (apps would need it and its types to compile with skipLibCheck: false)`);
      else if (!shipsTypes(name)) problems.push(`${path} refers to the types of ${spec}, which ships no types of its own (apps would need @types/${name.replace(/^@(.*)\//, '$1__')})`);
      continue;
    }
    used.add(name);
    if (!dependencies.has(name) && !peers.has(name)) problems.push(`${path} imports ${spec}, which is neither a dependency nor a peer dependency`);
  }
}
for (const name of dependencies) {
  if (!used.has(name)) warnings.push(`dependency ${name} is imported by no published file`);
}

const mb = (n) => `${(n / 1_000_000).toFixed(2)} MB`;
console.log(`check-package: ${packed.entryCount} files, unpacked ${packed.unpackedSize} bytes (${mb(packed.unpackedSize)} of ${mb(BUDGET_BYTES)}), packed ${packed.size} bytes`);
console.log(`  packages the published code imports: ${[...used].sort().join(', ') || 'none'}`);
for (const warning of warnings) console.log(`  warning: ${warning}`);
if (problems.length > 0) {
  for (const problem of problems) console.error(`  ✖ ${problem}`);
  console.error(`check-package: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('check-package: ok');

/**
 * The module specifiers of a JavaScript or declaration file: `require("x")`, `import("x")`,
 * `import "x"`, `… from "x"`. Reads tokens, so comments (JSDoc examples) and the contents of
 * strings and templates are not mistaken for imports.
 */
function moduleSpecifiers(text) {
  const tokens = tokenize(text);
  const found = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    const next = tokens[i + 1];
    const str = (k) => tokens[k]?.type === 'string' ? tokens[k].value : undefined;
    if (t.type === 'name' && (t.value === 'require' || t.value === 'import') && next?.value === '(' && str(i + 2) !== undefined && tokens[i + 3]?.value === ')') {
      const before = tokens[i - 1];
      if (before?.value !== '.') found.push(str(i + 2));
    } else if (t.type === 'name' && t.value === 'import' && str(i + 1) !== undefined) {
      found.push(str(i + 1));
    } else if (t.type === 'name' && t.value === 'from' && str(i + 1) !== undefined) {
      found.push(str(i + 1));
    }
  }
  return found;
}

/** A small JavaScript tokenizer: names, strings (with their value), punctuators; skips comments, templates and regex literals. */
function tokenize(text) {
  const tokens = [];
  const braces = []; // for each open `{`: whether it opened a template substitution
  let i = 0;
  const regexAllowedAfter = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);
  const regexAllowed = () => {
    const last = tokens[tokens.length - 1];
    if (!last) return true;
    if (last.type === 'name') return regexAllowedAfter.has(last.value);
    if (last.type === 'string' || last.type === 'number' || last.type === 'template' || last.type === 'regex') return false;
    return !(last.value === ')' || last.value === ']' || last.value === '}');
  };
  const readTemplate = () => { // from just after ` or }, up to ` or ${
    while (i < text.length) {
      const c = text[i];
      if (c === '\\') { i += 2; continue; }
      if (c === '`') { i++; tokens.push({ type: 'template' }); return; }
      if (c === '$' && text[i + 1] === '{') { i += 2; braces.push(true); tokens.push({ type: 'punct', value: '${' }); return; }
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && text[i + 1] === '/') { const end = text.indexOf('\n', i); i = end < 0 ? text.length : end; continue; }
    if (c === '/' && text[i + 1] === '*') { const end = text.indexOf('*/', i + 2); i = end < 0 ? text.length : end + 2; continue; }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\') { value += text[i + 1]; i += 2; } else value += text[i++];
      }
      i++;
      tokens.push({ type: 'string', value });
      continue;
    }
    if (c === '`') { i++; readTemplate(); continue; }
    if (c === '{') { braces.push(false); tokens.push({ type: 'punct', value: '{' }); i++; continue; }
    if (c === '}') {
      i++;
      if (braces.pop()) readTemplate();
      else tokens.push({ type: 'punct', value: '}' });
      continue;
    }
    if (c === '/' && regexAllowed()) {
      let inClass = false;
      i++;
      while (i < text.length) {
        const r = text[i];
        if (r === '\\') { i += 2; continue; }
        if (r === '\n') break;
        if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) { i++; break; }
        i++;
      }
      while (i < text.length && /[a-z]/i.test(text[i])) i++;
      tokens.push({ type: 'regex' });
      continue;
    }
    if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[\w$\u0080-\uffff]/.test(text[j])) j++;
      tokens.push({ type: 'name', value: text.slice(i, j) });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[\w.]/.test(text[j])) j++;
      tokens.push({ type: 'number' });
      i = j;
      continue;
    }
    if (c === '.' && text[i + 1] === '.' && text[i + 2] === '.') { tokens.push({ type: 'punct', value: '...' }); i += 3; continue; }
    tokens.push({ type: 'punct', value: c });
    i++;
  }
  return tokens;
}
