/**
 * The engine's API and the behaviours the Go 1.19 oracle cannot show: newer Go syntax (Atmos is
 * built with a current Go), functions reached through ports (env, clock), Gomplate functions
 * (expected values from Gomplate's documentation) and caller-registered functions.
 */
import { TemplateError, compileTemplate, decodeYamlForTemplates, goFunc, gomplateFuncs, sprigFuncs } from '../../src/templates/index.js';

const render = (text: string, data: unknown = {}, opts: Parameters<typeof compileTemplate>[1] = {}) =>
  compileTemplate(text, { name: 't', ...opts }).execute(data);

describe('compile once, execute many', () => {
  it('reuses one parsed template across data', () => {
    const t = compileTemplate('{{ .vars.name }}-{{ .vars.stage }}');
    expect(t.execute({ vars: { name: 'vpc', stage: 'dev' } })).toBe('vpc-dev');
    expect(t.execute({ vars: { name: 'eks', stage: 'prod' } })).toBe('eks-prod');
    expect(t.execute({})).toBe('<no value>-<no value>');
  });

  it('executes a defined template by name and lists the templates', () => {
    const t = compileTemplate('{{ define "a" }}A{{ . }}{{ end }}{{ block "b" . }}B{{ end }}main', { name: 'm' });
    expect(t.templateNames()).toEqual(['a', 'b', 'm']);
    expect(t.execute(1, { template: 'a' })).toBe('A1');
    expect(() => t.execute(1, { template: 'zz' })).toThrow('template: no template "zz" associated with template "m"');
  });
});

describe('errors', () => {
  it('reports a parse error with the template name and line, as Go does', () => {
    let err: unknown;
    try {
      compileTemplate('a\nb {{ .x }}\n{{ nope }}', { name: 'stacks/dev.yaml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TemplateError);
    expect(err).toMatchObject({ kind: 'parse', line: 3, message: 'template: stacks/dev.yaml:3: function "nope" not defined' });
  });

  it('reports an execution error with line, column and the failing expression', () => {
    const t = compileTemplate('x: 1\ny: {{ .vars.n | upper }}', { name: 'f.yaml', funcs: sprigFuncs() });
    expect(() => t.execute({ vars: { n: 1 } })).toThrow('template: f.yaml:2:16: executing "f.yaml" at <upper>: wrong type for value; expected string; got int');
    try {
      t.execute({ vars: { n: 1 } });
    } catch (e) {
      expect(e).toMatchObject({ kind: 'exec', line: 2, column: 16 });
    }
  });

  it('reports a missing key under missingkey=error', () => {
    expect(() => render('{{ .vars.region }}', { vars: {} }, { missingKey: 'error' })).toThrow(
      'template: t:1:8: executing "t" at <.vars.region>: map has no entry for key "region"',
    );
  });
});

describe('newer Go syntax (Go 1.22+/1.23, which Atmos is built with)', () => {
  it('ranges over an integer', () => {
    expect(render('{{ range 3 }}{{ . }}{{ end }}|{{ range $i := 2 }}{{ $i }}{{ end }}|{{ range 0 }}x{{ else }}none{{ end }}')).toBe('012|01|none');
  });

  it('supports else with', () => {
    const t = compileTemplate('{{ with .a }}a={{ . }}{{ else with .b }}b={{ . }}{{ else }}neither{{ end }}');
    expect(t.execute({ a: 1 })).toBe('a=1');
    expect(t.execute({ b: 2 })).toBe('b=2');
    expect(t.execute({})).toBe('neither');
  });
});

describe('registering functions', () => {
  it('calls a method on an object a function returns, like atmos.Component', () => {
    class Atmos {
      constructor(private readonly outputs: Record<string, Record<string, unknown>>) {}
      Component(component: string, stack: string) {
        return { outputs: this.outputs[`${stack}/${component}`] ?? {} };
      }
    }
    const funcs = { atmos: goFunc([], () => new Atmos({})) };
    const t = compileTemplate('{{ (atmos.Component "vpc" .stack).outputs.vpc_id }}', { funcs });
    const bound = { atmos: goFunc([], () => new Atmos({ 'dev/vpc': { vpc_id: 'vpc-123' } })) };
    expect(t.execute({ stack: 'dev' }, { funcs: bound })).toBe('vpc-123');
    expect(t.execute({ stack: 'dev' })).toBe('<no value>');
  });

  it('checks argument types against the declared signature and reports a thrown error', () => {
    const funcs = {
      greet: goFunc(['string'], (s: string) => `hi ${s}`),
      boom: () => {
        throw new Error('no store');
      },
    };
    expect(render('{{ greet "x" }}', {}, { funcs })).toBe('hi x');
    expect(() => render('{{ greet 1 }}', {}, { funcs })).toThrow('at <1>: expected string; found 1');
    expect(() => render('{{ boom }}', {}, { funcs })).toThrow('at <boom>: error calling boom: no store');
  });

  it('rejects an unknown function at compile time, before any data is seen', () => {
    expect(() => compileTemplate('{{ toJson . }}')).toThrow('function "toJson" not defined');
  });
});

describe('Sprig functions behind ports', () => {
  it('reads the environment through the given lookup, never process.env', () => {
    process.env.TPL_TEST_SHOULD_NOT_LEAK = 'leak';
    const funcs = sprigFuncs({ env: (n) => ({ HOME_REGION: 'us-east-2' })[n] });
    expect(render('{{ env "HOME_REGION" }}|{{ env "TPL_TEST_SHOULD_NOT_LEAK" }}|{{ expandenv "r=$HOME_REGION" }}', {}, { funcs })).toBe(
      'us-east-2||r=us-east-2',
    );
    delete process.env.TPL_TEST_SHOULD_NOT_LEAK;
  });

  it('takes now from the clock', () => {
    const funcs = sprigFuncs({ clock: { now: () => new Date('2024-03-05T07:08:09Z') } });
    expect(render('{{ now | date "2006-01-02 15:04:05 Mon Jan" }}|{{ now | unixEpoch }}|{{ now }}', {}, { funcs })).toBe(
      '2024-03-05 07:08:09 Tue Mar|1709622489|2024-03-05 07:08:09 +0000 UTC',
    );
  });

  it('makes random values of the documented shape', () => {
    const funcs = sprigFuncs();
    expect(render('{{ uuidv4 }}', {}, { funcs })).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(render('{{ randAlphaNum 12 }}', {}, { funcs })).toMatch(/^[A-Za-z0-9]{12}$/);
  });
});

describe('Gomplate functions (expected values from the Gomplate documentation)', () => {
  const funcs = gomplateFuncs();
  const g = (text: string, data: unknown = {}) => render(text, data, { funcs });

  it.each([
    ['{{ strings.Title "hello, world!" }}', 'Hello, World!'],
    ['{{ strings.ToUpper "hello, world!" }}', 'HELLO, WORLD!'],
    ['{{ strings.ToLower "HELLO, WORLD!" }}', 'hello, world!'],
    ['{{ "_-foo-_" | strings.Trim "_-" }}', 'foo'],
    ['{{ "hello, world" | strings.TrimPrefix "hello, " }}', 'world'],
    ['{{ "hello, world" | strings.TrimSuffix "world" }}jello', 'hello, jello'],
    ['{{ "  \\n\\t foo" | strings.TrimSpace }}', 'foo'],
    ['{{ range ("Bart,Lisa,Maggie" | strings.Split ",") }}Hello, {{.}};{{end}}', 'Hello, Bart;Hello, Lisa;Hello, Maggie;'],
    ['{{ range ("foo:bar:baz" | strings.SplitN ":" 2) }}{{.}};{{end}}', 'foo;bar:baz;'],
    ['{{ strings.Quote 500 }}', '"500"'],
    ['{{ strings.Squote "it\'s a banana" }}', "'it''s a banana'"],
    ['{{ strings.ShellQuote "it\'s a banana" }}', `'it'"'"'s a banana'`],
    ['{{ strings.ReplaceAll "." "-" "172.21.1.42" }}', '172-21-1-42'],
    ['{{ "hello " | strings.Repeat 5 }}', 'hello hello hello hello hello '],
    ['{{ "foobarbazquxquux" | strings.Abbrev 9 }}', 'foobar...'],
    ['{{ (coll.Slice "foo" "bar" "baz") | strings.Sort }}', '[bar baz foo]'],
    ['{{ "hello jello" | strings.SnakeCase }}', 'hello_jello'],
    ['{{ "hello jello" | strings.CamelCase }}', 'helloJello'],
    ['{{ conv.ToBool "yes" }} {{ conv.ToBool 1 }} {{ conv.ToBool "0" }}', 'true true false'],
    ['{{ conv.ToInt64 "0x10" }} {{ conv.ToFloat64 "1.5" }} {{ conv.ToString 42 }}', '16 1.5 42'],
    ['{{ conv.Default "foo" "" }} {{ conv.Default "foo" "bar" }}', 'foo bar'],
    ['{{ conv.Join (coll.Slice "a" "b") "-" }}', 'a-b'],
    ['{{ (data.JSON `{"a": 1, "b": [2.5]}`).a }} {{ (data.JSON `{"a": 1}`).a | printf "%T" }}', '1 int'],
    ['{{ data.ToJSON (coll.Dict "b" 1 "a" "<x>") }}', '{"a":"<x>","b":1}'],
    ['{{ `{"bar":{"baz":2}}` | json | toYAML }}', 'bar:\n  baz: 2\n'],
    ['{{ coll.Dict "name" "Frank" "age" 42 | data.ToYAML }}', 'age: 42\nname: Frank\n'],
    ['{{ coll.Has (coll.Dict "a" 1) "a" }} {{ coll.Has (coll.Slice 1 2) 3 }}', 'true false'],
    ['{{ coll.Keys (coll.Dict "b" 1 "a" 2) }} {{ coll.Values (coll.Dict "b" 1 "a" 2) }}', '[a b] [2 1]'],
    ['{{ coll.Slice 1 2 | coll.Append 3 }} {{ coll.Slice 1 2 | coll.Prepend 0 }}', '[1 2 3] [0 1 2]'],
    ['{{ coll.Uniq (coll.Slice 1 2 1 3) }} {{ coll.Reverse (coll.Slice 1 2 3) }}', '[1 2 3] [3 2 1]'],
    ['{{ coll.Sort (coll.Slice "foo" "bar" "baz") }}', '[bar baz foo]'],
    ['{{ coll.Flatten (coll.Slice 1 (coll.Slice 2 (coll.Slice 3))) }}', '[1 2 3]'],
    ['{{ coll.Merge (coll.Dict "a" 1) (coll.Dict "a" 2 "b" 3) }}', 'map[a:1 b:3]'],
    ['{{ coll.Pick "a" (coll.Dict "a" 1 "b" 2) }} {{ coll.Omit "a" (coll.Dict "a" 1 "b" 2) }}', 'map[a:1] map[b:2]'],
    ['{{ coll.Index "b" 1 (coll.Dict "b" (coll.Slice 7 8)) }}', '8'],
    ['{{ test.Ternary "yes" "no" true }} {{ test.Kind 1 }} {{ test.IsKind "number" 2.5 }}', 'yes int true'],
    ['{{ math.Add 1 2 }} {{ math.Add 1 2.5 }} {{ math.Div 1 4 }} {{ math.Max 1 9 3 }}', '3 3.5 0.25 9'],
    ['{{ required "x" "set" }}', 'set'],
  ])('%s', (text, want) => {
    expect(g(text)).toBe(want);
  });

  it('fails required on a missing or empty value with the given message', () => {
    expect(() => g('{{ required "vpc_id is required" .vpc_id }}')).toThrow('error calling required: vpc_id is required');
    expect(() => g('{{ test.Fail "stop" }}')).toThrow('template generation failed: stop');
  });

  it('lets Sprig win name clashes when both are installed, as Atmos merges them', () => {
    const both = { ...gomplateFuncs(), ...sprigFuncs() };
    expect(render('{{ "hello world" | title }}|{{ default "d" "" }}', {}, { funcs: both })).toBe('Hello World|d');
  });
});

describe('YAML data as Go sees it', () => {
  it('keeps yaml.v3 typing: int vs float, hex, octal, dates, YAML 1.1 words as strings', () => {
    const data = decodeYamlForTemplates('i: 3\nf: 3.0\nh: 0x1F\no: 010\nd: 2024-01-01\ny: yes\nn: ~\nq: "3"');
    const t = compileTemplate('{{ printf "%T %T %v %v %T %v %T" .i .f .h .o .d .y .q }}|{{ .n }}');
    expect(t.execute(data)).toBe('int float64 31 8 time.Time yes string|<no value>');
    expect(() => compileTemplate('{{ eq .f 3 }}').execute(data)).toThrow('incompatible types for comparison');
    expect(compileTemplate('{{ eq .i 3 }}').execute(data)).toBe('true');
  });
});
