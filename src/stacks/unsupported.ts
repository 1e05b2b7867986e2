/**
 * The scan for features atmos-action does not evaluate yet (YAML functions, Go templates), and the
 * error a command raises when a selected instance uses one.
 */
import { AtmosError } from '../util/errors.js';
import { isPlainMap, type Plain } from '../util/merge.js';
import { DeferredValue } from './deferred.js';
import type { ManifestReader } from './imports.js';
import type { Instance, UnsupportedFeature } from './types.js';

const YAML_FUNCTION =
  /^!(terraform\.(output|state)|env|exec|store(\.get)?|template|include(\.raw)?|repo-root|cwd|random|aws\.[a-z_]+|literal|secret|unset|sops|vault)(?![A-Za-z0-9._-])/;

/** Records YAML functions and (when templates are on) Go templates, which are not evaluated (yet). */
export function findUnsupported(sections: Plain, templatesEnabled: boolean, out: UnsupportedFeature[], functions = true): void {
  const walk = (v: unknown, at: string) => {
    if (typeof v === 'string') {
      if (functions && YAML_FUNCTION.test(v)) out.push({ path: at, value: v, kind: 'yaml-function' });
      else if (templatesEnabled && v.includes('{{')) out.push({ path: at, value: v, kind: 'go-template' });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${at}[${i}]`));
    } else if (isPlainMap(v) && !(v instanceof DeferredValue)) {
      for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
    }
  };
  for (const s of [
    'vars',
    'settings',
    'env',
    'providers',
    'backend',
    'remote_state_backend',
    'metadata',
    'source',
    'provision',
    'dependencies',
    'command',
    'generate',
    'required_providers',
  ]) {
    walk(sections[s], s);
  }
}

/** The error an entry point raises when a selected instance needs something we do not evaluate. */
export function assertEvaluable(instance: Instance): void {
  const unsupported = instance.unsupported;
  if (unsupported.length === 0) return;
  const list = unsupported
    .slice(0, 10)
    .map(
      (u) =>
        `  ${u.file ? `${u.file}${u.line ? `:${u.line}` : ''}: ` : ''}${u.path}: ${u.value} (${u.kind === 'yaml-function' ? 'YAML function' : 'Go template'})`,
    )
    .join('\n');
  const more = unsupported.length > 10 ? `\n  … and ${unsupported.length - 10} more` : '';
  throw new AtmosError(
    `component ${instance.component} in stack ${instance.stack} uses features atmos-action does not evaluate yet, so its values would be wrong:\n${list}${more}`,
    { file: instance.unsupported[0].file ?? instance.stackFilePath, line: instance.unsupported[0].line },
  );
}

/**
 * Where each unsupported value is written: the first file of the stack's tree (the manifest,
 * then its imports, latest first) whose text holds it, and the line there.
 */
export function locateUnsupported(reader: ManifestReader, top: string, features: UnsupportedFeature[]): void {
  const files = [top, ...reader.transitiveImports(top).reverse()];
  for (const f of features) {
    if (f.file) continue;
    // The whole first line of the value, else (quoted arguments) the tag or `{{` alone.
    const needles = [f.value.split('\n')[0], f.kind === 'yaml-function' ? f.value.split(/\s/)[0] : '{{'];
    for (const needle of needles) {
      const file = files.find((x) => reader.textOf(x)?.includes(needle));
      if (!file) continue;
      const text = reader.textOf(file)!;
      f.file = file;
      f.line = text.slice(0, text.indexOf(needle)).split('\n').length;
      break;
    }
  }
}
