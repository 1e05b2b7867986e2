/** Sprig's `semver` and `semverCompare` (Masterminds/semver v3 constraint syntax, common subset). */
import { goFunc, type GoFunc } from '../funcs.js';
import { GoNumber } from '../values.js';

const VERSION_RE = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** A parsed version; its methods are callable from templates (`(semver "1.2.3").Major`). */
export class Version {
  constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number,
    readonly pre: string,
    readonly meta: string,
    readonly original: string,
  ) {}
  Major(): GoNumber {
    return new GoNumber('uint64', this.major);
  }
  Minor(): GoNumber {
    return new GoNumber('uint64', this.minor);
  }
  Patch(): GoNumber {
    return new GoNumber('uint64', this.patch);
  }
  Prerelease(): string {
    return this.pre;
  }
  Metadata(): string {
    return this.meta;
  }
  Original(): string {
    return this.original;
  }
  String(): string {
    return `${this.major}.${this.minor}.${this.patch}${this.pre ? '-' + this.pre : ''}${this.meta ? '+' + this.meta : ''}`;
  }
}

export function parseVersion(s: string): Version {
  const m = VERSION_RE.exec(s.trim());
  if (!m) throw new Error('Invalid Semantic Version');
  return new Version(Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), m[4] ?? '', m[5] ?? '', s);
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const na = /^\d+$/.test(pa[i]);
    const nb = /^\d+$/.test(pb[i]);
    if (na && nb && Number(pa[i]) !== Number(pb[i])) return Number(pa[i]) < Number(pb[i]) ? -1 : 1;
    if (na !== nb) return na ? -1 : 1;
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return comparePre(a.pre, b.pre);
}

const v = (major: number, minor: number, patch: number, pre = '') => new Version(major, minor, patch, pre, '', '');

/** One `op version` term as an interval [lo, hi) test. */
function termMatches(term: string, ver: Version): boolean {
  const m = /^(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(term);
  if (!m) throw new Error(`improper constraint: ${term}`);
  const op = m[1] ?? '=';
  const wild = (x?: string) => x === undefined || /^[xX*]$/.test(x);
  const major = wild(m[2]) ? undefined : Number(m[2]);
  const minor = major === undefined || wild(m[3]) ? undefined : Number(m[3]);
  const patch = minor === undefined || wild(m[4]) ? undefined : Number(m[4]);
  const pre = m[5] ?? '';
  // A prerelease version only satisfies constraints that mention a prerelease.
  if (ver.pre && !pre) return false;
  const lo = v(major ?? 0, minor ?? 0, patch ?? 0, pre);
  const next = major === undefined ? undefined : minor === undefined ? v(major + 1, 0, 0) : patch === undefined ? v(major, minor + 1, 0) : undefined;
  const cmpLo = compareVersions(ver, lo);
  const belowNext = next ? compareVersions(ver, next) < 0 : cmpLo === 0;
  switch (op) {
    case '=':
      return major === undefined || (cmpLo >= 0 && belowNext);
    case '!=':
      return !(major === undefined || (cmpLo >= 0 && belowNext));
    case '>':
      return next ? compareVersions(ver, next) >= 0 : cmpLo > 0;
    case '>=':
    case '=>':
      return cmpLo >= 0;
    case '<':
      return cmpLo < 0;
    case '<=':
    case '=<':
      return next ? compareVersions(ver, next) < 0 : cmpLo <= 0;
    case '~':
    case '~>': {
      const hi = minor === undefined ? v((major ?? 0) + 1, 0, 0) : v(major!, minor + 1, 0);
      return cmpLo >= 0 && compareVersions(ver, hi) < 0;
    }
    case '^': {
      let hi: Version;
      if ((major ?? 0) > 0 || minor === undefined) hi = v((major ?? 0) + 1, 0, 0);
      else if (minor > 0 || patch === undefined) hi = v(0, minor + 1, 0);
      else hi = v(0, 0, (patch ?? 0) + 1);
      return cmpLo >= 0 && compareVersions(ver, hi) < 0;
    }
  }
  return false;
}

export function semverSatisfies(constraint: string, version: string): boolean {
  const ver = parseVersion(version);
  return constraint.split('||').some((alt) => {
    const hyphen = /^\s*(\S+)\s+-\s+(\S+)\s*$/.exec(alt);
    const terms = hyphen ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`] : alt.split(/\s*,\s*|\s+(?=[<>=!~^v0-9])/).filter((t) => t.trim());
    return terms.every((t) => termMatches(t.trim().replace(/^([<>=!~^]+)\s+/, '$1'), ver));
  });
}

export function semverFuncs(): Record<string, GoFunc> {
  return {
    semver: goFunc(['string'], parseVersion),
    semverCompare: goFunc(['string', 'string'], semverSatisfies),
  };
}
