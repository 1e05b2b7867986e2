/**
 * Rule 4 — file-scoped `overrides` (docs/atmos-compatibility.md §2.4). The fixture reconstructs Atmos's
 * tests/fixtures/scenarios/atmos-overrides-section (teams/team2.yaml rebuilt so that the
 * reference's worked example holds: it imports catalog/c1 and overrides test.b = b-team2).
 *
 * Algorithm (F processed with (parentInline, parentAcc); top call ({}, {})):
 *   inline = merge(F.overrides, F.terraform.overrides, parentInline)
 *   acc = parentAcc; for each import I: (Ii, Ia) = process(I, inline, acc); acc = merge(acc, Ia, Ii)
 *   components in F's own `components:` get overrides := merge(acc, inline)
 *
 * staging = [team1 → c1, team2 → c1], inline_S = {a: a-staging}
 *   team1: inline_T1 = merge({a-team1,b-team1,c-team1}, inline_S) = {a-staging, b-team1, c-team1}
 *     c1 (via team1): overrides = merge({}, inline_T1) = {a-staging, b-team1, c-team1}
 *   acc_S = merge({}, inline_T1, inline_T1) = {a-staging, b-team1, c-team1}
 *   team2: inline_T2 = merge({b-team2}, inline_S) = {a-staging, b-team2}
 *     c1 (via team2): overrides = merge(acc_S, inline_T2) = {a-staging, b-team2, c-team1}
 *   file merge (team2's result after team1's): c1.overrides.vars.test = {a-staging, b-team2, c-team1}
 *   vars.test = {a,b,c,d} ← overrides → {a-staging, b-team2, c-team1, d}
 *
 * test = [team1 → c1], inline_test = merge({a-test,b-test}, {a-test-2}, {}) = {a-test-2, b-test}
 *   team1: inline = merge({a-team1,b-team1,c-team1}, inline_test) = {a-test-2, b-test, c-team1}
 *   c1: overrides = {a-test-2, b-test, c-team1} → vars.test = {a-test-2, b-test, c-team1, d}
 *
 * test3 = [overrides, c1]: acc after catalog/overrides = {a-overridden, b-overridden} → reaches c1.
 * test2 = [c1, overrides]: c1 is processed with acc = {} and inline = {} → untouched.
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { resolveFixture, instanceKeys, type Resolved } from './helpers.js';

describe('overrides scoping (§2.4)', () => {
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('overrides');
  });

  it('has one c1 per deploy manifest, named by {stage}', () => {
    expect(instanceKeys(r)).toEqual(['c1@staging', 'c1@test', 'c1@test2', 'c1@test3', 'c1@test4']);
  });

  it('staging: a-staging, b-team2, c-team1, d', () => {
    const c1 = r.get('c1', 'staging');
    expect(c1.vars).toEqual({ stage: 'staging', test: { a: 'a-staging', b: 'b-team2', c: 'c-team1', d: 'd' } });
    expect(c1.overrides).toEqual({ vars: { test: { a: 'a-staging', b: 'b-team2', c: 'c-team1' } } });
  });

  it('test: a-test-2, b-test, c-team1 (terraform.overrides beats overrides in the same file)', () => {
    const c1 = r.get('c1', 'test');
    expect(c1.vars).toEqual({ stage: 'test', test: { a: 'a-test-2', b: 'b-test', c: 'c-team1', d: 'd' } });
    expect(c1.overrides).toEqual({ vars: { test: { a: 'a-test-2', b: 'b-test', c: 'c-team1' } } });
  });

  it('test3: overrides imported before c1 reach it', () => {
    expect(r.get('c1', 'test3').vars).toEqual({
      stage: 'test3',
      test: { a: 'a-overridden', b: 'b-overridden', c: 'c', d: 'd' },
    });
  });

  it('test2: overrides imported after c1 do not reach it', () => {
    const c1 = r.get('c1', 'test2');
    expect(c1.vars).toEqual({ stage: 'test2', test: { a: 'a', b: 'b', c: 'c', d: 'd' } });
    expect(c1.overrides).toEqual({});
  });

  it('test4: overrides from an import reach a component defined in the importing file', () => {
    // acc after catalog/overrides = {a-overridden, b-overridden}; test4's own c1 gets merge(acc, {})
    expect(r.get('c1', 'test4').vars).toEqual({
      stage: 'test4',
      test: { a: 'a-overridden', b: 'b-overridden', c: 'c', d: 'd' },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Rule 12 — overrides from a nested earlier import reach later siblings (§2.4)
// ---------------------------------------------------------------------------------------------
describe('overrides from an import subtree (§2.4)', () => {
  /*
   * dev = [catalog/early, mixins/team → catalog/ovr, catalog/late] + own component; top call ({}, {}).
   *   inline_dev = {}; acc = {}
   *   early: processed with ({}, {}) → early.overrides = {}; returns ({}, {}) → acc = {}
   *   team: inline_T = {}; acc_T = {}
   *     ovr: inline_O = merge({vars:{o:ovr}}, {}, {}) = {vars:{o:ovr}}; returns (inline_O, {})
   *     acc_T = merge({}, {}, inline_O) = {vars:{o:ovr}}; team returns ({}, acc_T)
   *   acc = merge({}, acc_T, {}) = {vars:{o:ovr}}
   *   late: processed with ({}, acc) → late.overrides = merge(acc, {}) = {vars:{o:ovr}}
   *   own (dev's own components): overrides = merge(acc, inline_dev) = {vars:{o:ovr}}
   * Global vars of catalog/ovr (from_ovr_file) reach every component, early included.
   */
  let r: Resolved;
  beforeAll(() => {
    r = resolveFixture('more-overrides');
  });

  it('an earlier import is not reached', () => {
    const e = r.get('early', 'dev');
    expect(e.vars).toEqual({ stage: 'dev', from_ovr_file: true, o: 'early' });
    expect(e.overrides).toEqual({});
  });

  it('a later sibling import and the importing file are reached', () => {
    const l = r.get('late', 'dev');
    expect(l.vars).toEqual({ stage: 'dev', from_ovr_file: true, o: 'ovr' });
    expect(l.overrides).toEqual({ vars: { o: 'ovr' } });
    expect(r.get('own', 'dev').vars).toEqual({ stage: 'dev', from_ovr_file: true, o: 'ovr' });
  });
});
