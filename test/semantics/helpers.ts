/**
 * Shared helpers for the semantics corpus. Every expectation in test/semantics/*.test.ts is
 * derived by hand from Atmos 1.226's documented behaviour, never from the engine's output. The §
 * numbers next to each test name are sections of docs/atmos-compatibility.md, where each rule is
 * written down.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks, findInstance } from '../../src/stacks/resolve.js';
import { AtmosError } from '../../src/util/errors.js';
import type { AtmosConfig } from '../../src/config/types.js';
import type { Instance, DependencyRef, UnsupportedFeature } from '../../src/stacks/types.js';
import { tempDir } from '../helpers/fs.js';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/semantics');

export function fixture(name: string, ...rest: string[]): string {
  return path.join(FIXTURES, name, ...rest);
}

/** Loads atmos.yaml for a fixture with an explicit (by default empty) environment. */
export function load(name: string, env: Record<string, string | undefined> = {}, cwd?: string): AtmosConfig {
  return loadAtmosConfig({ cwd: cwd ?? fixture(name), env });
}

export interface Resolved {
  config: AtmosConfig;
  resolved: ReturnType<typeof resolveStacks>;
  get(component: string, stack: string): Instance;
}

export function resolveFixture(
  name: string,
  env: Record<string, string | undefined> = {},
  cwd?: string,
  opts: Parameters<typeof resolveStacks>[1] = {},
): Resolved {
  const config = load(name, env, cwd);
  const resolved = resolveStacks(config, { env, ...opts });
  return { config, resolved, get: (component, stack) => findInstance(resolved, component, stack) };
}

/** Sorted `component@stack` keys of every resolved instance (abstract and disabled included). */
export function instanceKeys(r: Resolved): string[] {
  return r.resolved.instances.map((i) => `${i.component}@${i.stack}`).sort();
}

/** Runs fn, asserts it throws an AtmosError, and returns that error. */
export function expectAtmosError(fn: () => unknown): AtmosError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AtmosError);
  return caught as AtmosError;
}

/** Everything an error tells the user: message, file and import chain. */
export function errorText(e: AtmosError): string {
  return [e.message, e.file ?? '', ...(e.chain ?? [])].join('\n');
}

export function sortDeps(deps: readonly DependencyRef[]): DependencyRef[] {
  return [...deps].sort((a, b) => `${a.component}@${a.stack}`.localeCompare(`${b.component}@${b.stack}`));
}

export function sortUnsupported(u: readonly UnsupportedFeature[]): UnsupportedFeature[] {
  return [...u].sort((a, b) => a.path.localeCompare(b.path));
}

/** A throwaway repository with the component template pass (and Sprig) on: atmos.yaml plus `files`. */
export function templatedRepo(files: Record<string, string>, prefix = 'tpl-repo-'): string {
  const dir = tempDir(prefix);
  const all = {
    'atmos.yaml':
      'components:\n  terraform:\n    base_path: components/terraform\nstacks:\n  base_path: stacks\n  included_paths: ["deploy/**/*"]\n  name_pattern: "{stage}"\ntemplates:\n  settings:\n    enabled: true\n    sprig:\n      enabled: true\n',
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
