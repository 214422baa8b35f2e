/**
 * The layers stay apart: no import cycle anywhere in lib/ (type imports included), the web
 * layer (lib/web) reaches the engine only through its interface, and the engine never
 * imports the web layer (only the strategy, which offers `router()`, and the index do).
 */
import { expect } from 'chai';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve('lib');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** file (relative to lib) → relative imports (relative to lib), type imports included. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(root)) {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(/^(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/gm)]
      .map((m) => relative(root, resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'))));
    graph.set(relative(root, file), deps);
  }
  return graph;
}

describe('layers of lib/', () => {
  const graph = importGraph();

  it('has no import cycle', () => {
    const cycles: string[][] = [];
    const done = new Set<string>();
    const path: string[] = [];
    const visit = (node: string) => {
      if (path.includes(node)) return void cycles.push([...path.slice(path.indexOf(node)), node]);
      if (done.has(node)) return;
      path.push(node);
      for (const dep of graph.get(node) ?? []) visit(dep);
      path.pop();
      done.add(node);
    };
    for (const node of graph.keys()) visit(node);
    expect(cycles).to.deep.equal([]);
  });

  it('the web layer never imports the strategy', () => {
    const offenders = [...graph].filter(([file, deps]) => file.startsWith('web/') && deps.some((d) => d === 'strategy.ts'));
    expect(offenders).to.deep.equal([]);
  });

  it('the login engine never imports the web layer (only strategy.ts and index.ts do)', () => {
    const offenders = [...graph]
      .filter(([file]) => !file.startsWith('web/') && !['strategy.ts', 'index.ts'].includes(file))
      .filter(([, deps]) => deps.some((d) => d.startsWith('web/')))
      .map(([file]) => file);
    expect(offenders).to.deep.equal([]);
  });

  it('no file of lib/ imports a framework (express, connect) or passport-strategy', () => {
    const offenders = sources(root).filter((file) => /from '(?:express|connect|passport-strategy)'/.test(readFileSync(file, 'utf8')));
    expect(offenders.map((f) => relative(root, f))).to.deep.equal([]);
  });
});
