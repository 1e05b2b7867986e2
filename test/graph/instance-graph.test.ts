/** The one instance graph: edges among a selection, levels, reversal for destroy, cycles named; and the identity it keys on. */
import { graphLevels, instanceGraph, reversed, scheduleNodes } from '../../src/graph/instance-graph.js';
import { displayName, instanceKey, logPrefix, planFolder, stackSlug, workdirFolder, type InstanceId } from '../../src/stacks/identity.js';

type Node = InstanceId & { deps: string[] };
const node = (component: string, deps: string[] = [], stack = 'dev'): Node => ({ stack, component, deps });
const dependsOn = (n: Node): InstanceId[] => n.deps.map((d) => ({ stack: 'dev', component: d }));
const names = (levels: Node[][]) => levels.map((l) => l.map((n) => n.component));

describe('the instance graph', () => {
  it('keeps only edges among the selection, and names each dependency outside it', () => {
    const outside: string[] = [];
    const g = instanceGraph([node('app', ['db', 'vpc']), node('db', ['vpc', 'vpc'])], dependsOn, (i, d) => outside.push(`${i.component} → ${d.component}`));
    expect(scheduleNodes(g).map((n) => [n.key, n.deps])).toEqual([
      ['dev:app', ['dev:db']],
      ['dev:db', []],
    ]);
    expect(outside).toEqual(['app → vpc', 'db → vpc', 'db → vpc']);
  });

  it('levels: each instance one level after its deepest dependency, in the order given within a level', () => {
    const g = instanceGraph([node('app', ['db', 'cache']), node('cache', ['vpc']), node('db', ['vpc']), node('vpc'), node('dns')], dependsOn);
    expect(names(graphLevels(g))).toEqual([['vpc', 'dns'], ['cache', 'db'], ['app']]);
  });

  it('reversal turns every edge around: what others depend on comes last (destroy)', () => {
    const g = reversed(instanceGraph([node('app', ['db']), node('db', ['vpc']), node('vpc')], dependsOn));
    expect(names(graphLevels(g))).toEqual([['app'], ['db'], ['vpc']]);
    expect(scheduleNodes(g).map((n) => [n.key, n.deps])).toEqual([
      ['dev:app', []],
      ['dev:db', ['dev:app']],
      ['dev:vpc', ['dev:db']],
    ]);
  });

  it('names a cycle instead of levelling it', () => {
    const g = instanceGraph([node('a', ['b']), node('b', ['c']), node('c', ['a']), node('d')], dependsOn);
    expect(() => graphLevels(g)).toThrow(/^dependency cycle: (dev:a → dev:b → dev:c → dev:a|dev:b → dev:c → dev:a → dev:b|dev:c → dev:a → dev:b → dev:c)$/);
  });

  it('levels a chain of 20,000 without running out of stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => node(`c${i}`, i ? [`c${i - 1}`] : []));
    const levels = graphLevels(instanceGraph(chain, dependsOn));
    expect(levels).toHaveLength(20_000);
    expect(levels[19_999]!.map((n) => n.component)).toEqual(['c19999']);
  });
});

describe('an instance identity', () => {
  it('is spelled one way for each purpose', () => {
    const id = { stack: 'plat-ue2-dev', component: 'net/vpc-a' };
    expect(instanceKey(id)).toBe('plat-ue2-dev:net/vpc-a');
    expect(displayName(id)).toBe('net/vpc-a@plat-ue2-dev');
    expect(logPrefix(id)).toBe('[net/vpc-a@plat-ue2-dev] ');
    expect(stackSlug(id)).toBe('plat-ue2-dev-net-vpc-a');
    expect(workdirFolder(id)).toBe('plat-ue2-dev-net-svpc-ha');
    expect(planFolder(id)).toBe('plat-hue2-hdev--net-svpc-ha');
  });
});
