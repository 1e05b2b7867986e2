/**
 * Rule 6 — backend selection and automatic backend defaults (docs/atmos-compatibility.md §2.2 "Automatic backend
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

// ---------------------------------------------------------------------------------------------
// Rule 7 — remote_state_backend_type / remote_state_backend (§2.2)
// ---------------------------------------------------------------------------------------------
/*
 * Derivation: §2.2 resolves `backend` to "only the backend[backend_type] sub-map", and §5.4 calls
 * that resolved section "the backend[backend_type] map with the defaults of §2.2 filled in". The
 * `backend[type]` that remote_state_backend starts from is that resolved backend. (Atmos agrees:
 * stack_processor_backend.go processTerraformRemoteStateBackend receives
 * `{finalComponentBackendType: finalComponentBackend}`, after setS3BackendDefaults.) So the s3 default
 * workspace_key_prefix is part of it, and a backend key of another type never is.
 */
describe('remote_state_backend (§2.2)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-remote-state');
  });
  const S3 = { bucket: 'tfstate', region: 'us-east-2' };

  it('remote_state_backend_type defaults to backend_type; the section starts from backend[type]', () => {
    // backend[s3] is the resolved backend, s3 default (workspace_key_prefix = Atmos name "plain")
    // included, then terraform.remote_state_backend.s3 on top.
    const p = r.get('plain', 'dev');
    expect(p.backendType).toBe('s3');
    expect(p.backend).toEqual({ ...S3, workspace_key_prefix: 'plain' });
    expect(p.remoteStateBackendType).toBe('s3');
    expect(p.remoteStateBackend).toEqual({ ...S3, workspace_key_prefix: 'plain', role_arn: 'read-role' });
  });

  it('backend[type] ← terraform.remote_state_backend[type] ← base ← component', () => {
    // backend: {bucket, region us-east-2, workspace_key_prefix: vpc (base component)}
    // ← terraform: role_arn ← rs-base: profile ← app: region us-west-2 (beats the backend's region)
    const a = r.get('app', 'dev');
    expect(a.backend).toEqual({ ...S3, workspace_key_prefix: 'vpc' });
    expect(a.remoteStateBackendType).toBe('s3');
    expect(a.remoteStateBackend).toEqual({
      bucket: 'tfstate',
      region: 'us-west-2',
      workspace_key_prefix: 'vpc',
      role_arn: 'read-role',
      profile: 'base-profile',
    });
  });

  it('an explicit remote_state_backend_type selects that key; the backend only contributes its own type', () => {
    // backend_type s3 → the resolved backend is only backend[s3] (§2.2 "only the
    // backend[backend_type] sub-map is kept"), so terraform.backend.gcs does not reach the
    // gcs remote state; only the component's remote_state_backend.gcs does.
    const o = r.get('other', 'dev');
    expect(o.backendType).toBe('s3');
    expect(o.backend).toEqual({ ...S3, workspace_key_prefix: 'other' });
    expect(o.remoteStateBackendType).toBe('gcs');
    expect(o.remoteStateBackend).toEqual({ prefix: 'custom' });
  });

  it('describe component shows remote_state_backend[_type]', () => {
    const out = describeComponent(r.get('app', 'dev'), r.config);
    expect(out.remote_state_backend_type).toBe('s3');
    expect(out.remote_state_backend).toEqual(r.get('app', 'dev').remoteStateBackend);
  });
});
