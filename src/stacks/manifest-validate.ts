/**
 * The shape checks every stack manifest passes when it is read (before any merge): the sections
 * that must be maps, the root `metadata` keys Atmos allows, and each component being a map. Each
 * failure names the file and the line of the offending key.
 */
import { AtmosError } from '../util/errors.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { lineOf } from '../util/yaml.js';

/** The `metadata` keys a manifest may set at its top level (they apply to every component). */
export const ROOT_METADATA_KEYS = ['labels', 'tags', 'custom', 'enabled', 'locked', 'terraform_workspace_pattern'];
const ROOT_METADATA = new Set(ROOT_METADATA_KEYS);

/** An error at `keyPath` of a manifest, with its line and the import chain that led to it. */
export function manifestError(message: string, file: string, text: string, keyPath: (string | number)[], chain: string[]): AtmosError {
  return new AtmosError(message, { file, line: lineOf(text, keyPath), chain });
}

export function validateManifest(file: string, text: string, data: Plain, chain: string[]): void {
  const fail = (message: string, keyPath: (string | number)[]): never => {
    throw manifestError(message, file, text, keyPath, chain);
  };
  const meta = data.metadata;
  if (meta !== undefined && meta !== null) {
    if (!isPlainMap(meta)) fail('`metadata` must be a map', ['metadata']);
    for (const k of Object.keys(meta as Plain)) {
      if (!ROOT_METADATA.has(k)) {
        fail(`metadata.${k} is not allowed at the top level of a stack manifest (allowed: ${ROOT_METADATA_KEYS.join(', ')}); put it under a component`, [
          'metadata',
          k,
        ]);
      }
    }
  }
  for (const section of ['vars', 'settings', 'env', 'terraform', 'components', 'overrides']) {
    const v = data[section];
    if (v !== undefined && v !== null && !isPlainMap(v)) fail(`\`${section}\` must be a map`, [section]);
  }
  const tf = mapAt(mapAt(data, 'components'), 'terraform');
  const rawTf = mapAt(data, 'components')?.terraform;
  if (rawTf !== undefined && rawTf !== null && !tf) fail('`components.terraform` must be a map', ['components', 'terraform']);
  for (const [name, c] of Object.entries(tf ?? {})) {
    if (c !== null && !isPlainMap(c)) fail(`component ${name} must be a map`, ['components', 'terraform', name]);
    const md = isPlainMap(c) ? c.metadata : undefined;
    if (md !== undefined && md !== null && !isPlainMap(md)) {
      fail(`component ${name}: metadata must be a map`, ['components', 'terraform', name, 'metadata']);
    }
  }
}
