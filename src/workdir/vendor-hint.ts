/**
 * Why a component folder is missing, when the repository vendors its components
 * (docs/atmos-compatibility.md §6.8): the Atmos vendor manifest that lists a source for that
 * folder, and the command that fills it. Only read when the folder is missing; best effort (a
 * manifest that cannot be read gives no hint, never a different error).
 */
import fs from 'node:fs';
import path from 'node:path';
import { compileTemplate } from '../templates/index.js';
import { redactSecrets } from '../util/redact.js';
import { parseYaml } from '../util/yaml.js';

export interface VendorSourceMatch {
  /** The vendor manifest listing it. */
  file: string;
  component?: string;
  source: string;
  version?: string;
  /** Absolute folder the source is vendored into. */
  target: string;
}

export interface VendorManifests {
  files: string[];
  /** Targets are relative to the folder holding the configured path (a manifest file, or the manifest folder). */
  targetRoot: string;
}

/**
 * The manifests Atmos reads for `atmos vendor pull`: `vendor.base_path` of atmos.yaml (a file, or
 * a folder whose `*.yaml`/`*.yml` files are read in name order), else `vendor.yaml` (or
 * `vendor.yml`) in the base path.
 */
export function vendorManifests(basePath: string, vendorBasePath?: string): VendorManifests {
  if (vendorBasePath) {
    const st = fs.statSync(vendorBasePath, { throwIfNoEntry: false });
    const files = st?.isFile()
      ? [vendorBasePath]
      : st?.isDirectory()
        ? fs
            .readdirSync(vendorBasePath)
            .filter((n) => /\.ya?ml$/.test(n))
            .sort()
            .map((n) => path.join(vendorBasePath, n))
        : [];
    return { files, targetRoot: path.dirname(vendorBasePath) };
  }
  const files = ['vendor.yaml', 'vendor.yml'].map((n) => path.join(basePath, n)).filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  return { files, targetRoot: basePath };
}

/** The vendor sources whose target is `folder` (or a folder holding it). */
export function vendorSourcesFor(folder: string, manifests: VendorManifests): VendorSourceMatch[] {
  const want = path.resolve(folder);
  return manifests.files.flatMap((file) => targetsOf(file, manifests.targetRoot)).filter((t) => want === t.target || want.startsWith(t.target + path.sep));
}

/**
 * Every target of one manifest's `spec.sources`, rendered as Atmos renders them (`{{ .Component }}`,
 * `{{ .Version }}`, a target's own `version` replacing the source's) and made absolute against `root`.
 */
function targetsOf(file: string, root: string): VendorSourceMatch[] {
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'), file);
  } catch {
    return [];
  }
  const sources = (doc as { spec?: { sources?: unknown } } | null)?.spec?.sources;
  if (!Array.isArray(sources)) return [];
  const out: VendorSourceMatch[] = [];
  for (const s of sources as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object' || typeof s.source !== 'string') continue;
    const component = typeof s.component === 'string' ? s.component : undefined;
    const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
    for (const t of Array.isArray(s.targets) ? (s.targets as unknown[]) : []) {
      // A target is a path, or {path, version}.
      const entry = t !== null && typeof t === 'object' ? (t as Record<string, unknown>) : { path: t };
      const raw = text(entry.path);
      const version = text(entry.version) ?? text(s.version);
      if (!raw) continue;
      const render = (tpl: string) => compileTemplate(tpl.trim(), { name: file }).execute({ Component: component ?? '', Version: version ?? '' });
      try {
        out.push({ file, component, source: redactSecrets(render(s.source)), version, target: path.resolve(root, render(raw)) });
      } catch {
        // a target that does not render gives no hint
      }
    }
  }
  return out;
}

/** The sentence to add to "the component folder … does not exist", or '' when no vendor manifest lists it. */
export function vendorHint(folder: string, basePath: string, vendorBasePath?: string): string {
  const manifests = vendorManifests(basePath, vendorBasePath);
  if (manifests.files.length === 0) return '';
  const matches = vendorSourcesFor(folder, manifests);
  const shown = (f: string) => path.relative(basePath, f) || f;
  if (matches.length === 0) {
    return `; the vendor manifest (${manifests.files.map(shown).join(', ')}) lists no source for it`;
  }
  const m = matches[0]!;
  const pull = m.component ? `atmos vendor pull --component ${m.component}` : 'atmos vendor pull';
  return (
    `; it is vendored: ${shown(m.file)} lists ${m.component ? `component ${m.component}, ` : ''}source ${m.source}` +
    `${m.version ? ` at version ${m.version}` : ''}, into ${shown(m.target)}. Run \`${pull}\` to fill it, then run again`
  );
}
