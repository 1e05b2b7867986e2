/**
 * Generates a synthetic but realistic Atmos repository for the stacks benchmark.
 *
 * Default shape: 200 stacks (4 tenants × 5 stages × 10 regions, in 2 orgs) × 50 concrete
 * components = 10,000 instances. Layout:
 *
 *   atmos.yaml
 *   components/terraform/<family>/main.tf            one folder per catalog family
 *   stacks/catalog/<family>.yaml                     `<family>/defaults` (abstract) + 1–3 concrete
 *                                                    components sharing the `<family>` folder
 *   stacks/mixins/{tenant,stage,region}/<name>.yaml  vars, backend, settings
 *   stacks/orgs/<org>/_defaults.yaml                 namespace, s3 backend
 *   stacks/orgs/<org>/<tenant>/_defaults.yaml        imports orgs/<org>/_defaults + mixins/tenant/<t>
 *   stacks/orgs/<org>/<tenant>/<stage>/_defaults.yaml  imports ../_defaults + mixins/stage/<s>
 *   stacks/orgs/<org>/<tenant>/<stage>/<region>.yaml top-level manifest: imports ./_defaults,
 *                                                    mixins/region/<r>, catalog (strings + globs)
 *
 * Import depth: manifest → stage _defaults → tenant _defaults → org _defaults / tenant mixin.
 * The output is a pure function of the options (no randomness, no clock).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import YAML from 'yaml';

export interface GenerateOptions {
  /** Number of top-level stacks (distinct canonical names). Default 200. */
  stacks?: number;
  /** Number of concrete components per stack. Default 50. */
  components?: number;
  /**
   * The templated variant: a name_template instead of the name_pattern, templates on, `{{ .vars.* }}`
   * in every catalog component's vars, and file-level locals in every stage defaults file.
   */
  templated?: boolean;
  /**
   * Every top-level manifest also gives each of its instances a few vars of its own (an owner, a
   * cost centre, a reference), as stacks that configure each instance per environment do: the
   * manifests then hold most of the repository's text (about 1.3 MB at 10,000 instances).
   */
  instanceVars?: boolean;
}

const ORGS = ['acme', 'globex'];
/** Tenants per org, assigned round-robin: org i gets tenants i, i+ORGS.length, ... */
const TENANTS = ['core', 'plat', 'data', 'apps', 'sec', 'ml', 'web', 'ops'];
const STAGES = ['dev', 'qa', 'staging', 'prod', 'sandbox'];
const REGIONS: Array<[code: string, region: string]> = [
  ['use1', 'us-east-1'],
  ['use2', 'us-east-2'],
  ['usw1', 'us-west-1'],
  ['usw2', 'us-west-2'],
  ['euw1', 'eu-west-1'],
  ['euw2', 'eu-west-2'],
  ['euc1', 'eu-central-1'],
  ['aps1', 'ap-south-1'],
  ['apse1', 'ap-southeast-1'],
  ['apne1', 'ap-northeast-1'],
];

/**
 * Terraform component families, interleaved so small repos still use both string and glob
 * imports. Families whose prefix is in GLOB_PREFIXES are imported with `catalog/<prefix>-*`;
 * no other family starts with those prefixes.
 */
const FAMILIES = [
  'vpc',
  'eks-cluster',
  'dns-zone',
  'app-api',
  'kms-key',
  'rds-cluster',
  's3-bucket',
  'eks-node-group',
  'sqs-queue',
  'app-worker',
  'sns-topic',
  'rds-proxy',
  'alb',
  'eks-addons',
  'ecr',
  'app-web',
  'waf',
  'rds-snapshots',
  'cloudwatch-alarms',
  'eks-iam',
  'lambda',
  'app-cron',
  'dynamodb',
  'elasticache',
  'opensearch',
  'secrets',
  'acm',
  'tgw-attachment',
  'vpc-flow-logs',
  'cloudtrail',
  'guardduty',
  'backup',
];
const GLOB_PREFIXES = ['eks', 'app', 'rds', 'svc'];
/** Concrete components per family, cycled: 10 components per 6 families. */
const VARIANT_PATTERN = [2, 1, 3, 1, 2, 1];
const VARIANTS = ['primary', 'secondary', 'audit'];
const CATEGORIES = ['network', 'compute', 'data', 'security', 'observability'];

const INSTANCE_TYPES = ['t3.small', 't3.medium', 'm5.large', 'm5.xlarge', 'c5.large', 'r5.large'];

interface Family {
  name: string;
  index: number;
  /** Concrete component names defined in the family's catalog file. */
  components: string[];
}

interface StackSpec {
  index: number;
  org: string;
  tenant: string;
  stage: string;
  regionCode: string;
  region: string;
}

function tenantName(i: number): string {
  return i < TENANTS.length ? TENANTS[i] : `t${i}`;
}

function familyName(i: number): string {
  return i < FAMILIES.length ? FAMILIES[i] : `svc-${String(i - FAMILIES.length + 1).padStart(3, '0')}`;
}

function familyPrefix(name: string): string | undefined {
  const p = name.split('-')[0];
  return name.includes('-') && GLOB_PREFIXES.includes(p) ? p : undefined;
}

function planFamilies(components: number): Family[] {
  const families: Family[] = [];
  let left = components;
  for (let f = 0; left > 0; f++) {
    const name = familyName(f);
    const n = Math.min(left, VARIANT_PATTERN[f % VARIANT_PATTERN.length]);
    const comps = n === 1 ? [name] : VARIANTS.slice(0, n).map((v) => `${name}/${v}`);
    families.push({ name, index: f, components: comps });
    left -= n;
  }
  return families;
}

function planStacks(stacks: number): StackSpec[] {
  const out: StackSpec[] = [];
  const R = REGIONS.length;
  const S = STAGES.length;
  for (let i = 0; i < stacks; i++) {
    const [regionCode, region] = REGIONS[i % R];
    const stage = STAGES[Math.floor(i / R) % S];
    const t = Math.floor(i / (R * S));
    out.push({ index: i, org: ORGS[t % ORGS.length], tenant: tenantName(t), stage, regionCode, region });
  }
  return out;
}

/** Small deterministic integer hash (for picking values, not for security). */
function mix(a: number, b = 0): number {
  let h = (a * 2654435761) ^ (b * 2246822519);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^ (h >>> 16)) >>> 0;
}

function yamlText(header: string, doc: unknown): string {
  return `# ${header}\n` + YAML.stringify(doc, { lineWidth: 0 });
}

function catalogDoc(fam: Family, first: string, templated: boolean): unknown {
  const f = fam.index;
  const category = CATEGORIES[f % CATEGORIES.length];
  const h = mix(f + 1);
  const terraform: Record<string, unknown> = {};
  terraform[`${fam.name}/defaults`] = {
    metadata: { type: 'abstract' },
    settings: {
      component_category: category,
      spacelift: { workspace_enabled: true, autodeploy: h % 2 === 0, terraform_version: '1.9' },
      validation: { schema: { schema_type: 'jsonschema', schema_path: `${fam.name}/validate.json`, disabled: true } },
    },
    vars: {
      enabled: true,
      name: fam.name,
      label_order: ['namespace', 'tenant', 'environment', 'stage', 'name', 'attributes'],
      instance_type: INSTANCE_TYPES[h % INSTANCE_TYPES.length],
      min_size: 1 + (h % 3),
      max_size: 3 + (h % 5),
      retention_in_days: [7, 14, 30, 90][h % 4],
      deletion_protection: false,
      allowed_cidr_blocks: ['10.0.0.0/8', '172.16.0.0/12'],
      feature_flags: { logging: true, metrics: h % 3 !== 0, tracing: h % 5 === 0 },
      tags: { Component: fam.name, Category: category, ManagedBy: 'atmos', CostCenter: `cc-${1000 + (h % 97)}` },
      ...(templated
        ? {
            description: '{{ .vars.name }} in {{ .vars.region }} ({{ .vars.stage }})',
            label: '{{ .vars.tenant }}-{{ .vars.environment }}-{{ .vars.stage }}-{{ .vars.name }}',
          }
        : {}),
    },
    env: { TF_LOG: '' },
  };
  fam.components.forEach((name, v) => {
    const comp: Record<string, unknown> = {
      metadata: { component: fam.name, inherits: [`${fam.name}/defaults`] },
      vars: {
        name: name.replace(/\//g, '-'),
        attributes: fam.components.length > 1 ? [VARIANTS[v]] : [],
        tags: { Variant: fam.components.length > 1 ? VARIANTS[v] : 'default' },
      },
    };
    // A couple of dependency declarations (same stack), the first concrete component is the target.
    if (name !== first && (f === 1 || f === 7) && v === 0) {
      comp.settings = { depends_on: { 1: { component: first } } };
    }
    if (v === 1) (comp.vars as Record<string, unknown>).min_size = 2;
    terraform[name] = comp;
  });
  return { components: { terraform } };
}

function stackDoc(s: StackSpec, families: Family[], allComponents: string[], instanceVars: boolean): unknown {
  const imports: string[] = ['./_defaults', `mixins/region/${s.regionCode}`];
  const globbed = new Set<string>();
  for (const fam of families) {
    const p = familyPrefix(fam.name);
    if (p) {
      if (!globbed.has(p)) {
        globbed.add(p);
        imports.push(`catalog/${p}-*`);
      }
    } else {
      imports.push(`catalog/${fam.name}`);
    }
  }
  const doc: Record<string, unknown> = { import: imports };
  // Component-level overrides in every third stack, and in every prod stack.
  const overrides: Record<string, unknown> = {};
  const n = allComponents.length;
  if (s.index % 3 === 0 && n > 0) {
    overrides[allComponents[s.index % n]] = {
      vars: { instance_type: 'm5.2xlarge', tags: { Override: 'sizing' } },
    };
    let second = (s.index * 7 + 3) % n;
    if (second === s.index % n) second = (second + 1) % n;
    overrides[allComponents[second]] = {
      vars: { max_size: 10, feature_flags: { tracing: true } },
      settings: { spacelift: { autodeploy: false } },
    };
  }
  if (s.stage === 'prod' && n > 0) {
    const prev = (overrides[allComponents[0]] ?? {}) as { vars?: object };
    overrides[allComponents[0]] = { ...prev, vars: { ...prev.vars, deletion_protection: true, retention_in_days: 365 } };
  }
  if (instanceVars) {
    allComponents.forEach((name, c) => {
      const prev = (overrides[name] ?? {}) as { vars?: object };
      const h = mix(s.index + 1, c + 1);
      overrides[name] = {
        ...prev,
        vars: {
          ...prev.vars,
          instance_ref: `${s.tenant}-${s.regionCode}-${s.stage}-${name.replace(/\//g, '-')}`,
          cost_center: `cc-${1000 + (h % 997)}`,
        },
      };
    });
  }
  if (Object.keys(overrides).length > 0) doc.components = { terraform: overrides };
  return doc;
}

export function generateStacksRepo(dir: string, opts: GenerateOptions = {}): { files: number; bytes: number } {
  const stackCount = opts.stacks ?? 200;
  const componentCount = opts.components ?? 50;
  const templated = opts.templated ?? false;
  const instanceVars = opts.instanceVars ?? false;
  if (!Number.isInteger(stackCount) || stackCount < 1) throw new Error(`stacks must be a positive integer`);
  if (!Number.isInteger(componentCount) || componentCount < 1) throw new Error(`components must be a positive integer`);

  let files = 0;
  let bytes = 0;
  const write = (rel: string, text: string): void => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    files++;
    bytes += Buffer.byteLength(text);
  };

  const families = planFamilies(componentCount);
  const allComponents = families.flatMap((f) => f.components);
  const first = allComponents[0];
  const stacks = planStacks(stackCount);

  write(
    'atmos.yaml',
    yamlText('Generated by bench/gen-stacks.ts', {
      base_path: '.',
      components: {
        terraform: {
          base_path: 'components/terraform',
          apply_auto_approve: false,
          deploy_run_init: true,
          init_run_reconfigure: true,
          auto_generate_backend_file: true,
        },
      },
      stacks: {
        base_path: 'stacks',
        included_paths: ['orgs/**/*'],
        excluded_paths: ['**/_defaults.yaml'],
        ...(templated ? { name_template: '{{ .vars.tenant }}-{{ .vars.environment }}-{{ .vars.stage }}' } : { name_pattern: '{tenant}-{environment}-{stage}' }),
      },
      logs: { level: 'Warning' },
      ...(templated ? { templates: { settings: { enabled: true, sprig: { enabled: true } } } } : {}),
    }),
  );

  for (const fam of families) {
    write(
      `components/terraform/${fam.name}/main.tf`,
      `# Placeholder root module for ${fam.name}.\nvariable "enabled" {\n  type    = bool\n  default = true\n}\n`,
    );
    write(`stacks/catalog/${fam.name}.yaml`, yamlText(`Catalog: ${fam.name}`, catalogDoc(fam, first, templated)));
  }

  const tenants = new Map<string, string>(); // tenant → org
  const stages = new Set<string>();
  const regions = new Map<string, string>();
  const stageDirs = new Map<string, StackSpec>();
  for (const s of stacks) {
    tenants.set(s.tenant, s.org);
    stages.add(s.stage);
    regions.set(s.regionCode, s.region);
    stageDirs.set(`${s.org}/${s.tenant}/${s.stage}`, s);
  }

  // Mixins.
  for (const [tenant, org] of tenants) {
    write(
      `stacks/mixins/tenant/${tenant}.yaml`,
      yamlText(`Tenant mixin: ${tenant}`, {
        vars: { tenant, tags: { Tenant: tenant } },
        terraform: {
          backend_type: 's3',
          backend: {
            s3: {
              bucket: `${org}-${tenant}-tfstate`,
              dynamodb_table: `${org}-${tenant}-tfstate-lock`,
              region: 'us-east-1',
              encrypt: true,
              acl: 'bucket-owner-full-control',
            },
          },
        },
        settings: { owner_team: `team-${tenant}` },
      }),
    );
  }
  for (const stage of stages) {
    write(
      `stacks/mixins/stage/${stage}.yaml`,
      yamlText(`Stage mixin: ${stage}`, {
        vars: { stage, tags: { Stage: stage } },
        settings: { spacelift: { autodeploy: stage !== 'prod' }, approval_required: stage === 'prod' },
        env: { AWS_PROFILE: `${stage}-admin` },
      }),
    );
  }
  for (const [code, region] of regions) {
    write(
      `stacks/mixins/region/${code}.yaml`,
      yamlText(`Region mixin: ${region}`, {
        vars: {
          region,
          environment: code,
          availability_zones: ['a', 'b', 'c'].map((z) => `${region}${z}`),
          tags: { Region: region },
        },
      }),
    );
  }

  // _defaults chain.
  for (const org of new Set(tenants.values())) {
    write(
      `stacks/orgs/${org}/_defaults.yaml`,
      yamlText(`Org defaults: ${org}`, {
        vars: { namespace: org, tags: { Namespace: org } },
        terraform: {
          vars: { label_key_case: 'title' },
          backend: { s3: { key: 'terraform.tfstate' } },
        },
        settings: { org },
      }),
    );
  }
  for (const [tenant, org] of tenants) {
    write(
      `stacks/orgs/${org}/${tenant}/_defaults.yaml`,
      yamlText(`Tenant defaults: ${org}/${tenant}`, {
        import: [`orgs/${org}/_defaults`, `mixins/tenant/${tenant}`],
      }),
    );
  }
  for (const [key, s] of stageDirs) {
    write(
      `stacks/orgs/${key}/_defaults.yaml`,
      yamlText(`Stage defaults: ${key}`, {
        import: ['../_defaults', `mixins/stage/${s.stage}`],
        vars: { tags: { Account: templated ? '{{ .locals.account }}' : `${s.tenant}-${s.stage}` } },
        ...(templated ? { locals: { tenant: s.tenant, stage: s.stage, account: '{{ .locals.tenant }}-{{ .locals.stage }}' } } : {}),
      }),
    );
  }

  // Top-level manifests.
  for (const s of stacks) {
    write(
      `stacks/orgs/${s.org}/${s.tenant}/${s.stage}/${s.regionCode}.yaml`,
      yamlText(`Stack: ${s.tenant}-${s.regionCode}-${s.stage}`, stackDoc(s, families, allComponents, instanceVars)),
    );
  }

  return { files, bytes };
}

/**
 * The instance at (stack index, component index) of a repository generated with `opts`: its
 * canonical stack name, component name and top-level manifest (relative to the repository).
 */
export function generatedInstance(opts: GenerateOptions, stackIndex: number, componentIndex: number): { stack: string; component: string; manifest: string } {
  const stacks = planStacks(opts.stacks ?? 200);
  const components = planFamilies(opts.components ?? 50).flatMap((f) => f.components);
  const s = stacks[stackIndex % stacks.length];
  return {
    stack: `${s.tenant}-${s.regionCode}-${s.stage}`,
    component: components[componentIndex % components.length],
    manifest: `stacks/orgs/${s.org}/${s.tenant}/${s.stage}/${s.regionCode}.yaml`,
  };
}
