/**
 * Rule 6 — backend selection and automatic backend defaults (reference §2.2 "Automatic backend
 * defaults", §5.4).
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { describeComponent } from '../../src/stacks/describe.js';
import { resolveFixture, expectAtmosError, type Resolved } from './helpers.js';

const S3 = { bucket: 'tfstate', region: 'us-east-2', encrypt: true };

describe('backend (§2.2)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('backend');
  });

  it('keeps only backend[backend_type]; s3 workspace_key_prefix defaults to the Atmos name', () => {
    const vpc = r.get('vpc', 'dev');
    expect(vpc.backendType).toBe('s3');
    expect(vpc.backend).toEqual({ ...S3, workspace_key_prefix: 'vpc' });
    expect(vpc.remoteStateBackendType).toBe('s3');
  });

  it('`/` in the default prefix becomes the prefix_separator `-`', () => {
    expect(r.get('net/vpc', 'dev').backend).toEqual({ ...S3, workspace_key_prefix: 'net-vpc' });
  });

  it('base component (metadata.component) beats the Atmos name', () => {
    expect(r.get('vpc-2', 'dev').backend).toEqual({ ...S3, workspace_key_prefix: 'infra-vpc' });
  });

  it('metadata.name beats the base component', () => {
    expect(r.get('named', 'dev').backend).toEqual({ ...S3, workspace_key_prefix: 'stable-name' });
  });

  it('legacy top-level component: is the base component for the prefix', () => {
    expect(r.get('legacy-child', 'dev').backend).toEqual({ ...S3, workspace_key_prefix: 'vpc' });
  });

  it('explicit values are kept as written', () => {
    expect(r.get('explicit', 'dev').backend).toEqual({
      ...S3,
      workspace_key_prefix: 'custom/prefix',
      key: 'state.tfstate',
    });
  });

  it('gcs: prefix default from the base component', () => {
    const g = r.get('on-gcs', 'dev');
    expect(g.backendType).toBe('gcs');
    expect(g.backend).toEqual({ bucket: 'gcs-bucket', prefix: 'infra-vpc' });
    expect(g.remoteStateBackendType).toBe('gcs');
  });

  it('azurerm: key = <terraform.backend.azurerm.key>/<prefix>.terraform.tfstate', () => {
    const a = r.get('on-azure', 'dev');
    expect(a.backendType).toBe('azurerm');
    expect(a.backend).toEqual({ container_name: 'tfstate', key: 'azkey/on-azure.terraform.tfstate' });
  });

  it('azurerm without a global key: key = <prefix>.terraform.tfstate, `/` → `-`', () => {
    const a = r.get('app/api', 'prod');
    expect(a.backendType).toBe('azurerm');
    expect(a.backend).toEqual({ container_name: 'c', key: 'app-api.terraform.tfstate' });
  });

  it('describe component shows the same backend_type/backend', () => {
    const out = describeComponent(r.get('vpc-2', 'dev'), r.config);
    expect(out.backend_type).toBe('s3');
    expect(out.backend).toEqual({ ...S3, workspace_key_prefix: 'infra-vpc' });
  });
});

describe('backend prefix_separator "/" (§1.2 components.terraform.workspace.prefix_separator)', () => {
  it('keeps `/` in the default prefix', () => {
    const r = resolveFixture('backend-sep');
    expect(r.get('net/vpc', 'dev').backend).toEqual({ bucket: 'tfstate', workspace_key_prefix: 'net/vpc' });
    expect(r.get('vpc-2', 'dev').backend).toEqual({ bucket: 'tfstate', workspace_key_prefix: 'infra/vpc' });
  });
});

describe('backend with only non-matching keys (§2.2)', () => {
  it('is an AtmosError', () => {
    expectAtmosError(() => resolveFixture('backend-mismatch'));
  });
});
