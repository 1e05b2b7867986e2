/** Packing a matrix of more instances than GitHub runs jobs into at most max-legs legs (graph/pack.ts). */
import { legsOf, matrixLegs, type MatrixEntry } from '../../src/graph/matrix.js';
import { formatInstanceKeys, parseInstanceKeys, utf16Bytes, type PackedLeg } from '../../src/graph/pack.js';
import { instanceKey } from '../../src/stacks/identity.js';

const FAMILIES = ['vpc', 'eks-cluster', 'dns-zone', 'app-api', 'kms-key', 'rds-cluster', 's3-bucket', 'eks-node-group', 'sqs-queue', 'app-worker'];
const VARIANTS = ['blue', 'green', 'main', 'replica', 'canary'];

/** `stacks` × 50 entries, in stack then component order, named like a real organisation's (about 20 + 15 characters). */
function entries(stacks: number, extra: (e: MatrixEntry, n: number) => Partial<MatrixEntry> = () => ({})): MatrixEntry[] {
  const out: MatrixEntry[] = [];
  for (let s = 0; s < stacks; s++) {
    const stack = `acme-${['core', 'plat', 'data', 'apps'][s % 4]}-${['use1', 'usw2', 'euw1', 'apse1', 'euc1'][s % 5]}-${['dev', 'qa', 'staging', 'prod', 'sandbox'][Math.floor(s / 20) % 5]}${Math.floor(s / 100) || ''}`;
    const components = FAMILIES.flatMap((f) => VARIANTS.map((v) => `${f}/${v}`)).sort();
    for (const component of components) {
      const e: MatrixEntry = {
        stack,
        component,
        base_component: component.split('/')[0]!,
        component_type: 'terraform',
        component_path: `components/terraform/${component.split('/')[0]}`,
        workdir: `.workdir/terraform/${stack}-${component}`,
        workspace: stack,
        stack_slug: `${stack}-${component.replace('/', '-')}`,
        manifest: `stacks/orgs/acme/${stack}.yaml`,
        tool: 'terraform',
      };
      out.push({ ...e, ...extra(e, out.length) });
    }
  }
  return out.sort((a, b) => (a.stack === b.stack ? (a.component < b.component ? -1 : 1) : a.stack < b.stack ? -1 : 1));
}

const keysOf = (legs: readonly PackedLeg[]) => legs.flatMap((l) => parseInstanceKeys(l.instances).map(instanceKey));

describe('packing a matrix into at most max-legs legs', () => {
  it('256 instances or fewer: the entries as they are, nothing packed', () => {
    const few = entries(5).slice(0, 256);
    expect(few).toHaveLength(250);
    expect(legsOf(few, 256)).toBe(few);
    const m = matrixLegs({ include: few }, 256);
    expect(m).toMatchObject({ packed: false, legs: 250, instances: 250 });
    expect(JSON.parse(m.json)).toEqual({ include: few });
  });

  it('10,000 instances: at most 256 legs, every instance in exactly one, legs of near-equal size reading few manifests, under 512 KiB', () => {
    const all = entries(200);
    expect(all).toHaveLength(10_000);
    const m = matrixLegs({ include: all }, 256);
    const legs = (JSON.parse(m.json) as { include: PackedLeg[] }).include;
    expect(m).toMatchObject({ packed: true, legs: legs.length, instances: 10_000 });
    expect(legs.length).toBeLessThanOrEqual(256);
    expect(legs.length).toBeGreaterThan(200);
    // No instance dropped or duplicated, and the order is kept.
    expect(keysOf(legs)).toEqual(all.map(instanceKey));
    expect(legs.reduce((n, l) => n + l.count, 0)).toBe(10_000);
    const sizes = legs.map((l) => l.count);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(Math.ceil(10_000 / 256 / 2));
    // Legs follow stack boundaries where one is near: a leg reads at most two manifests here.
    expect(Math.max(...legs.map((l) => l.manifest.split(',').length))).toBeLessThanOrEqual(2);
    for (const l of legs) {
      const stacks = new Set(parseInstanceKeys(l.instances).map((i) => i.stack));
      expect(l.manifest.split(',')).toEqual([...stacks].map((s) => `stacks/orgs/acme/${s}.yaml`));
    }
    // A key repeating the previous key's stack drops it.
    expect(legs[0]!.instances.startsWith(`${all[0]!.stack}:${all[0]!.component},${all[1]!.component},`)).toBe(true);
    expect(utf16Bytes(m.json)).toBeLessThan(512 * 1024);
  });

  it('instances needing another tool, role or region never share a leg; each such group keeps its share of the legs', () => {
    const all = entries(60, (e, n) =>
      n % 10 === 0 ? { tool: 'tofu' } : e.stack.includes('prod') ? { role_plan: 'arn:aws:iam::1:role/prod', region: 'us-east-1' } : {},
    );
    const legs = legsOf(all, 100) as PackedLeg[];
    expect(legs.length).toBeLessThanOrEqual(100);
    expect(keysOf(legs).sort()).toEqual(all.map(instanceKey).sort());
    const byKey = new Map(all.map((e) => [instanceKey(e), e]));
    const mixed = legs.filter((l) =>
      parseInstanceKeys(l.instances).some((id) => {
        const e = byKey.get(instanceKey(id))!;
        return e.tool !== l.tool || e.role_plan !== l.role_plan || e.region !== l.region;
      }),
    );
    expect(mixed).toEqual([]);
    const tofu = legs.filter((l) => l.tool === 'tofu');
    expect(tofu.reduce((n, l) => n + l.count, 0)).toBe(300);
    expect(tofu.length).toBe(10);
  });

  it('more combinations of tool and credentials than legs: refused, saying how to split', () => {
    const all = entries(2, (_e, n) => ({ role_plan: `arn:aws:iam::1:role/r${n % 5}` }));
    expect(() => legsOf(all, 4)).toThrow(/need 5 different combinations of tool, AWS roles and region.*more than max-legs \(4\); split the selection/);
  });

  it('a leg with an instance that several manifests define names no manifest: it reads them all, as a one-instance leg would', () => {
    const all = entries(4, (_e, n) => (n === 7 ? { manifest: '' } : {}));
    const legs = legsOf(all, 10) as PackedLeg[];
    const several = all.find((e) => e.manifest === '')!;
    const holder = legs.find((l) => parseInstanceKeys(l.instances).some((i) => instanceKey(i) === instanceKey(several)))!;
    expect(holder.manifest).toBe('');
    expect(legs.filter((l) => l.manifest === '')).toHaveLength(1);
  });

  it('where the keys no longer fit in a job output: refused with the remedy', () => {
    // 40,000 instances of about 40-character keys: over a megabyte as GitHub counts outputs.
    const all = entries(800);
    expect(() => matrixLegs({ include: all }, 256)).toThrow(
      /the matrix output for 40000 instance\(s\) is \d+ kB as GitHub counts it \(UTF-16\).*split the selection into several calls with stacks\/components \(each with its own group\)/,
    );
    expect(() => matrixLegs({ include: all }, 257)).toThrow(/max-legs must be a whole number from 1 to 256/);
  });
});

describe('the instances key list', () => {
  it('round-trips any names, escaping what would break the list', () => {
    const ids = [
      { stack: 'dev', component: 'vpc' },
      { stack: 'dev', component: 'db' },
      { stack: 'prod:eu', component: 'a,b' },
      { stack: 'prod:eu', component: '50% off' },
      { stack: 'dev', component: 'vpc' },
      { stack: 'ünï', component: 'cødé/x' },
    ];
    const text = formatInstanceKeys(ids);
    expect(text).toBe('dev:vpc,db,prod%3Aeu:a%2Cb,50%25%20off,dev:vpc,ünï:cødé/x');
    expect(parseInstanceKeys(text)).toEqual(ids);
    expect(parseInstanceKeys(' dev:vpc , db ')).toEqual(ids.slice(0, 2));
  });

  it('refuses a list that does not say its first stack, a malformed key, a bad escape or nothing', () => {
    expect(() => parseInstanceKeys('vpc,dev:db')).toThrow('instances: the first key must name its stack (stack:component), not "vpc"');
    expect(() => parseInstanceKeys('dev:a:b')).toThrow('instances: "dev:a:b" is not a stack:component key');
    expect(() => parseInstanceKeys('dev:')).toThrow('is not a stack:component key');
    expect(() => parseInstanceKeys('dev:a%zz')).toThrow('instances: "dev:a%zz" holds a bad %-escape');
    expect(() => parseInstanceKeys(' , ')).toThrow('instances: no instance named');
  });
});
