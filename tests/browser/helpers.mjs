// Shared by the submit form's tests: where zirkel and the collection are, building a
// site into a temporary folder and reading the form data it writes.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root: ZIRKEL_ROOT, or two folders above this file. */
export const ROOT = resolve(process.env.ZIRKEL_ROOT || join(here, '..', '..'));

/** The zirkel binary: ZIRKEL_BIN, or the debug build, or the release build. */
export const BIN = resolve(
  process.env.ZIRKEL_BIN ||
    [join(ROOT, 'target', 'debug', 'zirkel'), join(ROOT, 'target', 'release', 'zirkel')].find(existsSync) ||
    join(ROOT, 'target', 'debug', 'zirkel'),
);

/** The submit form's script, loaded as a CommonJS module. */
export function loadSubmit() {
  const require = createRequire(import.meta.url);
  return require(join(ROOT, 'themes', 'default', 'static', 'submit.js'));
}

/** A fresh temporary copy of the collection (zirkel.yaml and content/). */
export function copyCollection(prefix = 'zirkel-submit-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(ROOT, 'zirkel.yaml'), join(dir, 'zirkel.yaml'));
  cpSync(join(ROOT, 'content'), join(dir, 'content'), { recursive: true });
  return dir;
}

export function removeDir(dir) {
  if (dir && !process.env.KEEP_TMP) rmSync(dir, { recursive: true, force: true });
}

/** Runs zirkel with `args` in `cwd`; returns {status, stdout, stderr}. */
export function zirkel(cwd, ...args) {
  const r = spawnSync(BIN, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, LC_ALL: 'de_DE.UTF-8' } });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Builds `dir` into `dir/site` and fails loudly if the build does. */
export function build(dir) {
  const r = zirkel(dir, 'build', '--output', join(dir, 'site'));
  if (r.status !== 0) throw new Error(`zirkel build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return join(dir, 'site');
}

/** `zirkel check --format json` in `dir`: the parsed report and the exit code. */
export function checkJson(dir) {
  const r = zirkel(dir, 'check', '--format', 'json');
  return { status: r.status, report: JSON.parse(r.stdout) };
}

/** window.ZIRKEL_FORM as a built site's daten/formular.js sets it. */
export function loadFormData(site) {
  const ctx = { window: {} };
  vm.createContext(ctx);
  vm.runInContext(readFileSync(join(site, 'daten', 'formular.js'), 'utf8'), ctx, { filename: 'formular.js' });
  // Through JSON, so the test's own realm owns the objects (deepStrictEqual).
  return JSON.parse(JSON.stringify(ctx.window.ZIRKEL_FORM));
}
