import { lazy, withLazyFields } from '../../src/util/lazy-fields.js';

describe('withLazyFields', () => {
  it('computes a lazy field only when it is read, and keeps every field in its order and in JSON', () => {
    let merges = 0;
    const data = withLazyFields({
      atmos_component: 'vpc',
      vars: lazy(() => {
        merges++;
        return { cidr: '10.0.0.0/16' };
      }),
      stack: 'dev',
    });
    expect(merges).toBe(0);
    expect(data.stack).toBe('dev');
    expect(merges).toBe(0);
    expect(Object.keys(data)).toEqual(['atmos_component', 'vars', 'stack']);
    expect(JSON.stringify(data)).toBe('{"atmos_component":"vpc","vars":{"cidr":"10.0.0.0/16"},"stack":"dev"}');
    expect(merges).toBe(1);
    expect({ ...data }).toEqual({ atmos_component: 'vpc', vars: { cidr: '10.0.0.0/16' }, stack: 'dev' });
  });
});
