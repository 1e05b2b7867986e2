/**
 * Rule 13 — names that would escape their directory (docs/atmos-compatibility.md §6.2 "Empty segments, ./..
 * segments and \ are rejected"; docs/atmos-compatibility.md §6.2: any `..` segment is refused). The error
 * may come at resolution or when the workdir path is built (describe component's `workdir`).
 */
import { describe, it } from '@jest/globals';
import { describeComponent } from '../../src/stacks/describe.js';
import { resolveFixture, expectAtmosError } from './helpers.js';

function resolveAndDescribeAll(name: string): void {
  const r = resolveFixture(name);
  for (const i of r.resolved.instances) describeComponent(i, r.config);
}

describe('escaping names', () => {
  it('metadata.component with .. segments → AtmosError (the component path would leave components/terraform)', () => {
    expectAtmosError(() => resolveAndDescribeAll('escape-folder'));
  });

  it('an Atmos component name with a .. segment → AtmosError', () => {
    expectAtmosError(() => resolveAndDescribeAll('escape-component'));
  });

  it('a stack name with .. segments → AtmosError', () => {
    expectAtmosError(() => resolveAndDescribeAll('escape-stack'));
  });
});
