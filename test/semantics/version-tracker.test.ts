/**
 * Atmos's version tracker in stacks (docs/atmos-compatibility.md §11.5): `!version NAME` and
 * `{{ .version.NAME }}` read the locked version from versions.lock.yaml, in the track the stack
 * asserts with `version.track`. Shaped after Atmos's version-tracker example.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../helpers/fs.js';
import { errorText, expectAtmosError, fixture, resolveFixture } from './helpers.js';
import { loadAtmosConfig } from '../../src/config/load.js';
import { resolveStacks } from '../../src/stacks/resolve.js';

describe('!version and {{ .version.* }} (§11.5)', () => {
  it("reads each stack's own track: dev and prod resolve independently", () => {
    const r = resolveFixture('version-tracker');
    expect(r.get('app', 'dev').vars).toMatchObject({ kubectl_version: '1.31.0', redis_image: 'redis:7.4.0', redis_version: '7.4.0' });
    expect(r.get('app', 'prod').vars).toMatchObject({ kubectl_version: '1.29.4', redis_image: 'redis:7.2.5' });
    expect(r.get('app', 'dev').unsupported ?? []).toEqual([]);
  });

  it('!version gives the version; {{ .version.NAME }} the digest when the dependency pins by digest', () => {
    const vars = resolveFixture('version-tracker').get('app', 'dev').vars;
    expect(vars.ci_action_ref).toBe('v4.1.0');
    expect(vars.ci_action_pin).toBe('actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020');
  });

  it('a stack that asserts no track reads the default track', () => {
    expect(resolveFixture('version-tracker').get('app', 'qa').vars.kubectl_version).toBe('1.29.4');
  });

  it('a name the track has not locked is an error naming it, the track and the lock file', () => {
    const dir = tempDir('version-tracker-');
    fs.cpSync(fixture('version-tracker'), dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'stacks/deploy/qa/qa.yaml'),
      'vars: {stage: qa}\ncomponents:\n  terraform:\n    app:\n      vars:\n        helm_version: !version helm\n',
    );
    const config = loadAtmosConfig({ cwd: dir, env: {} });
    const e = expectAtmosError(() => resolveStacks(config, { env: {} }));
    expect(errorText(e)).toMatch(/!version: helm is not locked in track default of versions\.lock\.yaml/);
  });
});
