import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, tempDir, writeTree } from '../helpers/fs.js';

/** The release workflow's checks (tools/release/check-tag.mjs): tag, package.json version, CHANGELOG notes. */
const script = path.join(REPO_ROOT, 'tools/release/check-tag.mjs');
const check = (root: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [script, ...args], { env: { PATH: process.env.PATH ?? '', RELEASE_ROOT: root }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const release = (version: string, changelog: string) =>
  writeTree(tempDir('atmos-release-'), { 'package.json': JSON.stringify({ version }), 'CHANGELOG.md': changelog });
const CHANGELOG = '# Changelog\n\n## [Unreleased]\n\n- next\n\n## [1.2.0] - 2026-12-01\n\n### Added\n- drift issues\n\n## [1.1.0]\n\n- older\n';

describe('release checks', () => {
  it('print the CHANGELOG section of the tag, and the major tag it moves', () => {
    const root = release('1.2.0', CHANGELOG);
    expect(check(root, 'v1.2.0')).toEqual({ code: 0, out: '### Added\n- drift issues\n', err: '' });
    expect(check(root, 'v1.2.0', '--major').out).toBe('v1\n');
  });

  it('refuse a tag that is not vX.Y.Z, a package.json of another version, a missing or empty section', () => {
    expect(check(release('1.2.0', CHANGELOG), 'v1.2').err).toMatch(/the tag "v1.2" is not vX.Y.Z/);
    expect(check(release('1.2.0', CHANGELOG), 'v01.2.0').code).toBe(1);
    expect(check(release('1.1.9', CHANGELOG), 'v1.2.0').err).toMatch(/package.json says version 1.1.9, the tag v1.2.0/);
    expect(check(release('1.3.0', CHANGELOG), 'v1.3.0').err).toMatch(/CHANGELOG.md has no section "## \[1.3.0\]"/);
    expect(check(release('1.2.0', '## [1.2.0]\n\n## [1.1.0]\n- x\n'), 'v1.2.0').err).toMatch(/section for 1.2.0 is empty/);
  });

  it("this repository's CHANGELOG has notes for the version package.json names", () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = check(REPO_ROOT, `v${version}`);
    expect(r.err).toBe('');
    expect(r.out.length).toBeGreaterThan(100);
  });
});
