/**
 * Pack smoke tests: the package as a user gets it. `npm pack` once (building first only when
 * dist/ is missing), then one fresh directory per app with `npm install <tarball> <deps…>`; all
 * the apps the loaded test files declare are installed in parallel, on the first `before`.
 * They need the npm registry (or a warm npm cache): without it they are skipped with a
 * message, unless CI is set.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { request } from 'undici';
import { Browser, type BrowserResponse } from '../support/browser.js';

const run = promisify(execFile);
export const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtures = join(root, 'test/package/fixtures');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Installing and packing take a while (a cold npm cache: tens of seconds per app). */
export const INSTALL_TIMEOUT_MS = 240_000;

/**
 * The environment for npm in a temp dir: without the npm_* variables of an enclosing `npm
 * test` (npm_config_prefix / local_prefix would point the install back at this repository),
 * keeping the user's registry, cache, CA and proxy settings.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const keep = /^npm_config_(registry|cache|cafile|ca|userconfig|globalconfig|proxy|https_proxy|noproxy|strict_ssl|fetch_.*|@.*:registry|\/\/.*)$/i;
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !keep.test(key)) continue;
    if (key === 'INIT_CWD') continue;
    env[key] = value;
  }
  return env;
}

function npmRun(args: string[], cwd: string, timeout = INSTALL_TIMEOUT_MS): Promise<{ stdout: string; stderr: string }> {
  return run(npm, args, { cwd, env: npmEnv(), timeout, maxBuffer: 64 * 1024 * 1024 }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`npm ${args.join(' ')} (in ${cwd}) failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
}

let reachable: boolean | undefined;
/** Whether the npm registry answers (`npm ping`). */
export function registryReachable(): boolean {
  reachable ??= spawnSync(npm, ['ping'], { env: npmEnv(), stdio: 'ignore', timeout: 20_000 }).status === 0;
  return reachable;
}

/**
 * For a `before` hook: skips the suite, saying why, when the registry cannot be reached (fails
 * instead when CI is set: CI must run these tests).
 */
export function requireRegistry(ctx: Mocha.Context): void {
  if (registryReachable()) return;
  const message = '`npm ping` failed: the pack smoke tests install the packed tarball and its dependencies from the npm registry';
  if (process.env.CI) throw new Error(`${message}, and CI is set, so this is a failure, not a skip`);
  console.log(`      SKIPPED: ${message}.`);
  ctx.skip();
}

let base: string | undefined;
/** One temp dir for the whole run (removed at exit unless KEEP_PACKAGE_TESTS is set). */
function baseDir(): string {
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), 'passport-multistep-pack-'));
    base = dir;
    process.once('exit', () => {
      if (process.env.KEEP_PACKAGE_TESTS) console.log(`  pack smoke test apps kept in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
    });
  }
  return base;
}

let tarball: Promise<string> | undefined;
/** The packed tarball (built first only when dist/ is missing). */
export function packedTarball(): Promise<string> {
  tarball ??= (async () => {
    if (!existsSync(join(root, 'dist'))) await npmRun(['run', 'build'], root, 120_000);
    const dest = join(baseDir(), 'tarball');
    mkdirSync(dest);
    // --ignore-scripts: no prepack build; the tarball is made of the dist/ just built or found.
    const { stdout } = await npmRun(['pack', '--ignore-scripts', '--json', '--pack-destination', dest], root, 120_000);
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    return join(dest, packed!.filename);
  })();
  return tarball;
}

export interface AppSpec {
  /** Directory name, also the app's package name. */
  name: string;
  /** The app's package.json fields besides name/private (e.g. `type`). */
  packageJson?: Record<string, unknown>;
  /** What to install next to the tarball (a package name or name@range each). */
  dependencies: string[] | (() => string[]);
  /** Files to write into the app directory (path → contents), before installing. */
  files?: Record<string, string> | (() => Record<string, string>);
}

const apps = new Map<string, { spec: AppSpec; ready?: Promise<string> }>();

/** Declares an app (at module load, so that all apps of the run install in parallel). */
export function declareApp(spec: AppSpec): { ready(): Promise<string> } {
  apps.set(spec.name, { spec });
  return {
    ready: () => {
      for (const app of apps.values()) {
        if (app.ready) continue;
        app.ready = install(app.spec);
        app.ready.catch(() => {}); // reported by the suite that awaits it, not as an unhandled rejection
      }
      return apps.get(spec.name)!.ready!;
    },
  };
}

async function install(spec: AppSpec): Promise<string> {
  const tgz = await packedTarball();
  const dir = join(baseDir(), spec.name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: spec.name, version: '1.0.0', private: true, ...spec.packageJson }, null, 2) + '\n');
  const files = typeof spec.files === 'function' ? spec.files() : spec.files ?? {};
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const deps = typeof spec.dependencies === 'function' ? spec.dependencies() : spec.dependencies;
  await npmRun(['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', '--prefix', dir, tgz, ...deps], dir);
  return dir;
}

/** A CommonJS app of test/package/fixtures running in its own process, as `node <file> <args…>`. */
export interface AppProcess {
  url: string;
  simUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts a fixture app; it prints `{"url","simUrl"}` as its first line once listening. */
export async function startApp(dir: string, file: string, args: string[] = []): Promise<AppProcess> {
  const child: ChildProcess = spawn(process.execPath, [file, ...args], { cwd: dir, env: { ...npmEnv(), NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const started = await new Promise<{ url: string; simUrl: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^\{"url".*\}$/m.exec(output)?.[0];
      if (line) { clearTimeout(timer); resolve(JSON.parse(line) as { url: string; simUrl: string }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${file} exited (${code}):\n${output}`)); });
  });
  return {
    ...started,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The last code the simulator sent to a user (its control API). */
export async function simCode(simUrl: string, username: string): Promise<string> {
  const res = await request(`${simUrl}/_sim/api/code/${username}`);
  const body = (await res.body.json()) as { code: string | null };
  if (!body.code) throw new Error(`the simulator sent ${username} no code`);
  return body.code;
}

// ---- HTML forms of the built-in pages ----

export interface HtmlForm {
  action: string;
  method: string;
  fields: Array<{ name: string; value: string; type: string }>;
}

const decode = (s: string) => s
  .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
  .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
  .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

function attributes(tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const body = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  for (const m of body.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    attrs[m[1]!.toLowerCase()] = decode(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** The forms of a page: action, method, and the named inputs and buttons with their values. */
export function htmlForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const m of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/gi)) {
    const form = attributes(m[1]!);
    const fields: HtmlForm['fields'] = [];
    for (const f of m[2]!.matchAll(/<(input|button|textarea)\b[^>]*>/gi)) {
      const a = attributes(f[0]);
      if (!a.name) continue;
      fields.push({ name: a.name, value: a.value ?? '', type: (a.type ?? (f[1]!.toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase() });
    }
    forms.push({ action: form.action ?? '', method: (form.method ?? 'get').toLowerCase(), fields });
  }
  return forms;
}

/** The page's form that posts to the route ending in `/<route>`. */
export function formFor(page: BrowserResponse, route: string): HtmlForm {
  const form = htmlForms(page.text).find((f) => f.method === 'post' && new RegExp(`/${route}/?$`).test(f.action.split('?')[0]!));
  if (!form) throw new Error(`no form posting to /${route} on the page (status ${page.status}):\n${page.text.slice(0, 2000)}`);
  return form;
}

/**
 * Fills and posts a form as a browser would: the hidden fields as they are, `values` for the
 * named fields, the first submit button's name/value if it has one.
 */
export async function submit(browser: Browser, pageUrl: string, form: HtmlForm, values: Record<string, string>): Promise<BrowserResponse> {
  const body: Record<string, string> = {};
  let buttonUsed = false;
  for (const field of form.fields) {
    if (field.type === 'submit' || field.type === 'button' || field.type === 'image') {
      if (!buttonUsed && field.type === 'submit') { body[field.name] = field.value; buttonUsed = true; }
      continue;
    }
    if ((field.type === 'checkbox' || field.type === 'radio') && !(field.name in values)) continue;
    body[field.name] = values[field.name] ?? field.value;
  }
  for (const [name, value] of Object.entries(values)) body[name] = value;
  return browser.post(new URL(form.action, pageUrl).href, body);
}

export function isHtml(res: BrowserResponse): boolean {
  return /^text\/html\b/.test(String(res.headers['content-type']));
}

/** Reads a fixture file. */
export function fixture(name: string): string {
  return readFileSync(join(fixtures, name), 'utf8');
}

// ---- The two logins the CommonJS apps go through ----

/**
 * bob (password, then an SMS code) through the built-in pages, posting forms: the start page,
 * its form, 303 to the step page, the password form, 303, the code form, 303 to /me.
 */
export async function loginWithForms(app: AppProcess): Promise<void> {
  const browser = new Browser(app.url, 'html');
  const start = await browser.get('/login/');
  expect(start.status, start.text).to.equal(200);
  expect(isHtml(start), String(start.headers['content-type'])).to.equal(true);
  const startForm = formFor(start, 'start');
  expect(startForm.fields.map((f) => f.name)).to.include('_csrf');
  let res = await submit(browser, `${app.url}/login/`, startForm, { username: 'bob' });
  const answers = [() => Promise.resolve('bob-pw'), () => simCode(app.simUrl, 'bob')];
  for (const answer of answers) {
    expect(res.status, res.text).to.equal(303);
    const stepUrl = new URL(res.location!, app.url).href;
    expect(stepUrl).to.match(/\/login\/step\b/);
    const page = await browser.get(stepUrl);
    expect(page.status, page.text).to.equal(200);
    expect(isHtml(page)).to.equal(true);
    const form = formFor(page, 'answer');
    const input = form.fields.find((f) => f.name === 'answer' || f.name.startsWith('answer['));
    if (!input) throw new Error(`no answer input in the answer form: ${JSON.stringify(form)}`);
    res = await submit(browser, stepUrl, form, { [input.name]: await answer() });
  }
  expect(res.status, res.text).to.equal(303);
  expect(res.location).to.equal('/me');
  const me = await browser.get('/me');
  expect(me.status, me.text).to.equal(200);
  expect(JSON.parse(me.text).user).to.include({ name: 'Bob Brown' });
}

/** bob again, in JSON mode (Accept and Content-Type application/json, the token in X-CSRF-Token). */
export async function loginWithJson(app: AppProcess): Promise<void> {
  const browser = new Browser(app.url, 'json');
  const start = await browser.get('/login/');
  expect(start.status, start.text).to.equal(200);
  let csrf: string = start.json.csrfToken;
  expect(csrf).to.be.a('string').and.not.equal('');
  const post = async (route: string, body: Record<string, unknown>) => {
    const res = await browser.post(`/login/${route}`, body, { 'x-csrf-token': csrf });
    if (res.json?.csrfToken) csrf = res.json.csrfToken;
    return res;
  };
  let res = await post('start', { username: 'bob' });
  expect(res.status, res.text).to.equal(200);
  const tx: string = res.json.transactionId;
  for (const answer of [() => Promise.resolve('bob-pw'), () => simCode(app.simUrl, 'bob')]) {
    expect(res.status, res.text).to.equal(200);
    const step = res.json.step;
    expect(step.kind, res.text).to.not.be.oneOf(['done', 'failed']);
    res = await post('answer', { tx, sequence: step.sequence, mechanism: step.mechanisms[0].id, answer: await answer() });
  }
  expect(res.status, res.text).to.equal(200);
  expect(res.json.step.kind, res.text).to.equal('done');
  expect(res.json.redirect).to.equal('/me');
  const me = await browser.get('/me');
  expect(me.status, me.text).to.equal(200);
  expect(me.json.user).to.include({ name: 'Bob Brown' });
}

/**
 * The tarball's CommonJS `fixtures/app.cjs` on `framework`, installed with `dependencies`:
 * `checkInstall` says what the install must (not) contain, then bob logs in through the
 * built-in pages with form posts and in JSON mode.
 */
export function describeTarballApp(title: string, spec: { name: string; framework: string; dependencies: string[] },
  checkInstall: { title: string; check(dir: string): void }): void {
  const declared = declareApp({ name: spec.name, dependencies: spec.dependencies, files: () => ({ 'app.cjs': fixture('app.cjs') }) });
  describe(title, function () {
    let dir: string;
    let app: AppProcess | undefined;

    before(async function () {
      this.timeout(INSTALL_TIMEOUT_MS + 60_000);
      requireRegistry(this);
      dir = await declared.ready();
      app = await startApp(dir, 'app.cjs', [spec.framework]);
    });

    after(async () => { await app?.stop(); });

    it(checkInstall.title, () => checkInstall.check(dir));

    it('logs bob in through the built-in pages with form posts (password, then the SMS code)', async function () {
      this.timeout(30_000);
      await loginWithForms(app!);
    });

    it('logs bob in in JSON mode (X-CSRF-Token)', async function () {
      this.timeout(30_000);
      await loginWithJson(app!);
    });
  });
}
