/**
 * Cloud credentials per instance, from the stack settings Cloud Posse's GitHub actions read, so
 * existing stacks keep working unchanged:
 *
 *   settings.integrations.github.gitops.role.plan                  IAM role the plan job assumes
 *   settings.integrations.github.gitops.role.apply                 IAM role the apply job assumes
 *   settings.integrations.github.gitops.artifact-storage.region    AWS region for both
 *
 * atmos-action does not assume them itself: the workflows pass them to the official
 * aws-actions/configure-aws-credentials action (OIDC), per matrix leg. Atmos's own `auth:`
 * identities are not used either; `authWarnings` says so instead of ignoring them.
 */
import { atmosYamlLine } from '../config/load.js';
import type { AtmosConfig } from '../config/types.js';
import type { Warning } from '../ports/log.js';
import type { Instance } from '../stacks/types.js';
import { AtmosError } from '../util/errors.js';

export const GITOPS_SETTINGS = {
  rolePlan: 'settings.integrations.github.gitops.role.plan',
  roleApply: 'settings.integrations.github.gitops.role.apply',
  region: 'settings.integrations.github.gitops.artifact-storage.region',
} as const;

export interface InstanceCredentials {
  rolePlan?: string;
  roleApply?: string;
  region?: string;
}

/** A role ARN or region goes into a workflow input: one line of printable text, nothing else. */
const PRINTABLE = /^[\x21-\x7e]{1,2048}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+-\d{1,2}$/;

function at(section: unknown, keys: readonly string[]): unknown {
  let v = section;
  for (const k of keys) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** The instance's roles and region, validated; empty or null values count as not set. */
export function instanceCredentials(instance: Pick<Instance, 'settings' | 'stack' | 'component' | 'stackFilePath'>): InstanceCredentials {
  const out: InstanceCredentials = {};
  for (const [field, dotted] of Object.entries(GITOPS_SETTINGS) as [keyof InstanceCredentials, string][]) {
    const v = at(instance.settings, dotted.split('.').slice(1));
    if (v === undefined || v === null || v === '') continue;
    const bad = (why: string) =>
      new AtmosError(`${dotted} of component ${instance.component} in stack ${instance.stack} ${why}, not ${JSON.stringify(v)}`, {
        file: instance.stackFilePath,
      });
    if (typeof v !== 'string' || !PRINTABLE.test(v)) throw bad('must be one line of text (an IAM role ARN or an AWS region)');
    if (field === 'region' && !REGION.test(v)) throw bad('must be an AWS region such as us-east-2');
    out[field] = v;
  }
  return out;
}

/**
 * One job assumes one role: the role and region the given instances need together (an instance's own
 * setting, else the fallback). Throws, naming the instances, when they need different ones.
 */
export function sharedCredentials(
  instances: readonly { key: string; role?: string; region?: string }[],
  fallback: { role?: string; region?: string },
  what: string,
): { role?: string; region?: string } {
  const out: { role?: string; region?: string } = {};
  for (const field of ['role', 'region'] as const) {
    const users = new Map<string, string[]>();
    for (const i of instances) {
      const v = i[field] || fallback[field] || '';
      if (!users.has(v)) users.set(v, []);
      users.get(v)!.push(i.key);
    }
    const values = [...users.keys()];
    if (values.length > 1) {
      const list = [...users].map(([v, keys]) => `${v || '(none)'} for ${keys.slice(0, 3).join(', ')}${keys.length > 3 ? ', …' : ''}`).join('; ');
      throw new AtmosError(
        `${what} run in one job, which assumes one ${field}, but they need different ones: ${list}. ` +
          'Give them the same one, or apply them in separate calls (stacks/components inputs).',
      );
    }
    if (values[0]) out[field] = values[0];
  }
  return out;
}

/**
 * Atmos `auth:` identities (atmos.yaml's `auth.providers`/`auth.identities`, or a component's
 * `auth:` section) are not used by atmos-action: terraform runs with the credentials the job has.
 * One warning for atmos.yaml and one for the instances, never silence.
 */
export function authWarnings(
  instances: readonly Pick<Instance, 'passthrough' | 'stack' | 'component' | 'stackFilePath'>[],
  config: Pick<AtmosConfig, 'raw' | 'configFile'>,
): Warning[] {
  const out: Warning[] = [];
  const how =
    'terraform runs with the credentials the job already has (for AWS: aws-actions/configure-aws-credentials with ' +
    `${GITOPS_SETTINGS.rolePlan} / ${GITOPS_SETTINGS.roleApply}, or the workflows' aws-role inputs)`;
  const auth = at(config.raw, ['auth']);
  const named = ['providers', 'identities'].flatMap((k) => Object.keys((at(auth, [k]) as Record<string, unknown> | undefined) ?? {}).map((n) => `${k}.${n}`));
  if (named.length) {
    out.push({
      message: `atmos.yaml declares Atmos auth (${named.slice(0, 5).join(', ')}${named.length > 5 ? ', …' : ''}); atmos-action does not use it: ${how}`,
      where: config.configFile ? { file: config.configFile, line: atmosYamlLine(config.configFile, ['auth']) } : undefined,
    });
  }
  const users = instances.filter((i) => {
    const a = i.passthrough.auth;
    return a !== null && typeof a === 'object' && Object.keys(a).length > 0;
  });
  if (users.length) {
    const names = users.slice(0, 3).map((i) => `${i.component} in ${i.stack}`);
    out.push({
      message:
        `${users.length} selected instance(s) have an Atmos auth: section (${names.join(', ')}${users.length > 3 ? ', …' : ''}); ` +
        `atmos-action does not use it: ${how}`,
      where: users[0].stackFilePath ? { file: users[0].stackFilePath } : undefined,
    });
  }
  return out;
}
