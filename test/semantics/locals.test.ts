/**
 * File-level and component-level `locals` (docs/atmos-compatibility.md §11.4): YAML functions in
 * locals, the terraform/helmfile/packer scopes, and component-level locals inherited from bases.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadAtmosConfig } from '../../src/config/load.js';
import { nodeExecSync } from '../../src/ports/node-exec-sync.js';
import { describeComponent } from '../../src/stacks/describe.js';
import { resolveStacks } from '../../src/stacks/resolve.js';
import { tempDir } from '../helpers/fs.js';
import { expectAtmosError, fixture, resolveFixture } from './helpers.js';

const env = { PR: '42' };
const resolved = () => resolveFixture('locals-scopes', env, undefined, { execSync: nodeExecSync });

describe('locals (§11.4)', () => {
  it('runs YAML functions in locals before templates; section locals merge global → terraform → helmfile → packer', () => {
    const r = resolved();
    const app = r.get('app', 'dev');
    const described = describeComponent(app, r.config) as { vars: Record<string, unknown> };
    expect(described.vars).toEqual({
      stage: 'dev',
      preview: 'ds42',
      build: 7,
      bucket: 'acme-tfstate',
      release: 'acme-helm-app',
      image: 'acme-ami',
      tier: 'packer',
      // a local that reads another instance's output, used alone, reaches the component as the function
      vpc_id: '!terraform.output vpc dev .vpc_id (unresolved: read at run time)',
    });
    expect(app.dependsOn).toEqual([{ component: 'vpc', stack: 'dev', via: '!terraform.output' }]);
    // file-level locals never reach the output
    expect(JSON.stringify(app.sections)).not.toContain('"locals"');
  });

  it('component-level locals merge from the bases, show in the output and are `.locals` in the component pass', () => {
    const vpc = resolved().get('vpc/dev', 'dev');
    expect(vpc.sections.locals).toEqual({ vpc_type: 'development', cidr_prefix: '10.0', extra_tag: 'dev-only', computed_ref: 'acme-dev' });
    expect(vpc.vars).toEqual({ stage: 'dev', vpc_type: 'development', description: 'acme-dev-vpc-dev' });
    expect('locals' in resolved().get('vpc', 'dev').sections).toBe(false);
  });

  it('a local read at run time inside a longer string is an error naming the file and line', () => {
    const dir = tempDir('locals-run-time-');
    fs.cpSync(fixture('locals-scopes'), dir, { recursive: true });
    const file = path.join(dir, 'stacks/deploy/dev.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("vpc_id: '{{ .locals.vpc_id }}'", "vpc_id: 'id-{{ .locals.vpc_id }}'"));
    const e = expectAtmosError(() => resolveStacks(loadAtmosConfig({ cwd: dir, env }), { env, execSync: nodeExecSync }));
    expect([e.file, e.line]).toEqual([file, 41]);
    expect(e.message).toBe(
      'components.terraform.app.vars.vpc_id: local vpc_id (!terraform.output vpc .vpc_id) is known only when the instance runs; ' +
        'use it alone ("{{ .locals.vpc_id }}"), not inside a longer string',
    );
  });
});
