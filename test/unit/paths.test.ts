import { assertDistinctWorkdirs, buildWorkdirPath, escapeInstanceName } from '../../src/util/paths.js';
import { safeJoin } from '../../src/util/safe-path.js';
import { AtmosError } from '../../src/util/errors.js';

describe('workdir paths', () => {
  it('escapes instance names as Atmos >= 1.226 does', () => {
    expect(escapeInstanceName('vpc')).toBe('vpc');
    expect(escapeInstanceName('vpc-inherited-instance')).toBe('vpc-hinherited-hinstance');
    expect(escapeInstanceName('ecs/cluster')).toBe('ecs-scluster');
    expect(buildWorkdirPath('/repo', 'dev', 'vpc')).toBe('/repo/.workdir/terraform/dev-vpc');
    expect(buildWorkdirPath('/repo', 'fixtures', 'ecs/cluster')).toBe('/repo/.workdir/terraform/fixtures-ecs-scluster');
    // a / in the stack name stays a real folder
    expect(buildWorkdirPath('/repo', 'deploy/dev', 'vpc')).toBe('/repo/.workdir/terraform/deploy/dev-vpc');
  });

  it('keeps instances that differ only in - versus / apart', () => {
    expect(buildWorkdirPath('/r', 'dev', 'vpc-a')).not.toBe(buildWorkdirPath('/r', 'dev', 'vpc/a'));
  });

  it('refuses names that would escape the workdir root', () => {
    for (const [stack, component] of [
      ['..', 'vpc'],
      ['dev/../../etc', 'vpc'],
      ['/abs', 'vpc'],
      ['dev', '../vpc'],
      ['dev', 'a/../../b'],
      ['dev', ''],
      ['de\u0000v', 'vpc'],
      ['dev', 'a\\b'],
    ]) {
      expect(() => buildWorkdirPath('/r', stack, component)).toThrow(AtmosError);
    }
    expect(() => safeJoin('/r', 'a/./b', 'x')).toThrow(/escape/);
  });

  it('refuses two instances that Atmos naming would put in one folder', () => {
    expect(() =>
      assertDistinctWorkdirs([
        { stack: 'a', component: 'b-c' },
        { stack: 'a-b', component: 'hc' },
      ]),
    ).toThrow(/b-c \(stack a\) and hc \(stack a-b\) would share the workdir/);
    expect(() =>
      assertDistinctWorkdirs([
        { stack: 'a', component: 'b' },
        { stack: 'a', component: 'b' },
      ]),
    ).not.toThrow();
  });
});
