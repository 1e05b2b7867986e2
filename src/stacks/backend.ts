/** Backend defaults Atmos fills in (docs/atmos-compatibility.md §2.2): s3 workspace_key_prefix, gcs prefix, azurerm key. */
import type { AtmosConfig } from '../config/types.js';
import type { Plain } from '../util/merge.js';
import type { ResolutionCache } from './resolve-cache.js';

export interface BackendNaming {
  name: string;
  baseComponent: string;
  metadataName?: string;
  globalAzurermKey?: string;
  /** Only computed for azurerm. */
  componentAzurermKey: () => string | undefined;
}

function withDefault(cache: ResolutionCache, backend: Plain, key: string, value: string): Plain {
  let byValue = cache.defaultedBackends.get(backend);
  if (!byValue) {
    byValue = new Map();
    cache.defaultedBackends.set(backend, byValue);
  }
  const cacheKey = `${key}\u0000${value}`;
  let out = byValue.get(cacheKey);
  if (!out) {
    out = { ...backend, [key]: value };
    byValue.set(cacheKey, out);
  }
  return out;
}

/** s3 workspace_key_prefix, gcs prefix and azurerm key defaults (§2.2). */
export function withBackendDefaults(cache: ResolutionCache, config: AtmosConfig, type: string, backend: Plain, n: BackendNaming): Plain {
  const sep = config.terraform.workspacePrefixSeparator;
  const rawPrefix = n.metadataName || (n.baseComponent !== n.name ? n.baseComponent : '') || n.name;
  const prefix = rawPrefix.includes('/') ? rawPrefix.replace(/\//g, sep) : rawPrefix;
  if (type === 's3' && (backend.workspace_key_prefix === undefined || backend.workspace_key_prefix === null)) {
    return withDefault(cache, backend, 'workspace_key_prefix', prefix);
  }
  if (type === 'gcs' && (backend.prefix === undefined || backend.prefix === null)) {
    return withDefault(cache, backend, 'prefix', prefix);
  }
  if (type === 'azurerm' && !n.componentAzurermKey()) {
    const key = [n.globalAzurermKey, `${prefix}.terraform.tfstate`].filter(Boolean).join('/');
    return { ...backend, key };
  }
  return backend;
}
