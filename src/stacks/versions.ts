/**
 * Atmos's version tracker as stacks read it (docs/atmos-compatibility.md §11.5): the versions
 * locked in `versions.lock.yaml` (atmos.yaml `version.lock_file`, relative to the base path), in
 * the track a stack asserts with `version.track` (else atmos.yaml's `version.track`, else
 * `default`). `!version NAME` gives the locked version; `{{ .version.NAME }}` a reference that
 * prints as the version, or as the locked digest when the dependency pins by digest.
 */
import fs from 'node:fs';
import type { AtmosConfig } from '../config/types.js';
import { AtmosError } from '../util/errors.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { safeJoin } from '../util/safe-path.js';
import { parseYaml } from '../util/yaml.js';

const DEFAULT_LOCK_FILE = 'versions.lock.yaml';
const DEFAULT_TRACK = 'default';

/** `{{ .version.NAME }}`: a Go struct to templates (`.Version`, `.Digest`, `.Pin`), printed as String() gives. */
export class VersionRef {
  constructor(
    readonly Version: string,
    readonly Digest: string,
    readonly Pin: 'none' | 'digest',
  ) {}

  String(): string {
    return this.Pin === 'digest' && this.Digest ? this.Digest : this.Version;
  }

  toJSON(): Plain {
    return { version: this.Version, ...(this.Digest ? { digest: this.Digest } : {}), pin: this.Pin };
  }
}

/** The locked versions of one track. */
export class VersionTrack {
  constructor(
    readonly track: string,
    private readonly lockFile: string,
    private readonly entries: Plain,
    private readonly pins: (name: string) => 'none' | 'digest',
  ) {}

  /** `!version NAME`: the locked version; an error naming the track and the lock file when there is none. */
  locked(name: string): string {
    const entry = mapAt(this.entries, name);
    const version = entry?.version;
    if (version === undefined || version === null || version === '') {
      throw new AtmosError(`${name} is not locked in track ${this.track} of ${this.lockFile} (atmos version track lock ${this.track} locks it)`);
    }
    return String(version);
  }

  /** The `.version` template data: every locked entry of the track. */
  refs(): Record<string, VersionRef> {
    const out: Record<string, VersionRef> = {};
    for (const [name, entry] of Object.entries(this.entries)) {
      if (!isPlainMap(entry)) continue;
      out[name] = new VersionRef(String(entry.version ?? ''), String(entry.digest ?? ''), this.pins(name));
    }
    return out;
  }
}

/** The parsed lock file of a configuration, read once per configuration (a missing file is an empty lock, as in Atmos). */
const locks = new WeakMap<AtmosConfig, { file: string; tracks: Plain }>();

function lockOf(config: AtmosConfig): { file: string; tracks: Plain } {
  let lock = locks.get(config);
  if (!lock) {
    const version = mapAt(config.raw, 'version');
    const name = typeof version?.lock_file === 'string' && version.lock_file !== '' ? version.lock_file : DEFAULT_LOCK_FILE;
    const file = safeJoin(config.basePath, name, 'version.lock_file');
    let tracks: Plain = {};
    if (fs.existsSync(file)) {
      const parsed = parseYaml(fs.readFileSync(file, 'utf8'), file);
      if (parsed !== null && parsed !== undefined && !isPlainMap(parsed)) throw new AtmosError(`${file}: the version lock must be a map`, { file });
      tracks = mapAt(parsed, 'tracks') ?? {};
    }
    lock = { file: name, tracks };
    locks.set(config, lock);
  }
  return lock;
}

/** The track a stack reads: its `version.track`, else atmos.yaml's, else `default`. */
export function versionTrackOf(config: AtmosConfig, stackRoot: Plain): VersionTrack {
  const own = mapAt(stackRoot, 'version')?.track;
  const configured = mapAt(config.raw, 'version');
  const track =
    typeof own === 'string' && own !== '' ? own : typeof configured?.track === 'string' && configured.track !== '' ? configured.track : DEFAULT_TRACK;
  const lock = lockOf(config);
  // A dependency pins by digest when its update.pin is `digest` (or `sha`), the track's setting over the catalog's.
  const pins = (name: string): 'none' | 'digest' => {
    const base = mapAt(mapAt(mapAt(configured, 'dependencies'), name), 'update')?.pin;
    const inTrack = mapAt(mapAt(mapAt(mapAt(mapAt(configured, 'tracks'), track), 'dependencies'), name), 'update')?.pin;
    const pin = inTrack ?? base;
    return pin === 'digest' || pin === 'sha' ? 'digest' : 'none';
  };
  return new VersionTrack(track, lock.file, mapAt(lock.tracks, track) ?? {}, pins);
}
