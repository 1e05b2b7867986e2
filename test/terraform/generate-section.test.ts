/**
 * The `generate:` section's files (docs/atmos-compatibility.md §5.8): rendered and serialised as
 * Atmos's file generator does. The section below is Atmos's generate-files example, resolved.
 */
import { generateSectionFiles } from '../../src/terraform/generate-section.js';
import { hclString } from '../../src/terraform/hcl-write.js';
import { parseHclAttributes } from '../../src/util/hcl.js';
import { instanceOf, type InstanceFields } from '../../src/stacks/instance.js';

function demo(generate: Record<string, unknown>, over: Partial<InstanceFields> = {}) {
  return instanceOf({
    stack: 'dev',
    component: 'demo',
    baseComponent: 'demo',
    stackFile: 'deploy/dev',
    stackFilePath: '/repo/stacks/deploy/dev.yaml',
    workspace: 'dev',
    vars: { stage: 'dev', app_name: 'myapp-dev', app_version: '1.0.0-dev', features: ['feature1', 'feature2'], count: 3 },
    settings: {},
    env: {},
    backend: {},
    backendType: '',
    providers: {},
    metadata: {},
    passthrough: { generate },
    componentPath: '/repo/components/terraform/demo',
    ...over,
  });
}

const files = (generate: Record<string, unknown>, over?: Partial<InstanceFields>) =>
  Object.fromEntries(generateSectionFiles(demo(generate, over)).map((f) => [f.name, f.content]));

describe('generate: section files (§5.8)', () => {
  it('writes the generate-files example the way Atmos does', () => {
    const out = files({
      'versions.tf': { terraform: { required_version: '>= 1.0.0' } },
      'locals.tf': { locals: { environment: '{{ .vars.stage }}', app_name: '{{ .vars.app_name }}' } },
      'variables.tf': 'variable "stage" {\n  type = string\n}\n',
      'terraform.tfvars': { app_name: '{{ .vars.app_name }}', app_version: '{{ .vars.app_version }}' },
      'config.json': { app: '{{ .vars.app_name }}', stage: '{{ .vars.stage }}', app_version: '{{ .vars.app_version }}' },
      'README.md': '# {{ .atmos_component }}\n\n- **Stack:** `{{ .atmos_stack }}`\n',
    });
    expect(out).toEqual({
      'versions.tf': 'terraform {\n  required_version = ">= 1.0.0"\n}\n\n',
      'locals.tf': 'locals {\n  app_name    = "myapp-dev"\n  environment = "dev"\n}\n\n',
      'variables.tf': 'variable "stage" {\n  type = string\n}\n',
      'terraform.tfvars': 'app_name    = "myapp-dev"\napp_version = "1.0.0-dev"\n',
      'config.json': '{\n  "app": "myapp-dev",\n  "app_version": "1.0.0-dev",\n  "stage": "dev"\n}',
      'README.md': '# demo\n\n- **Stack:** `dev`\n',
    });
  });

  it('labels variable/output/provider/module blocks once, resource/data twice; other maps are object attributes', () => {
    const out = files({
      'main.tf': {
        variable: { region: { type: 'string', default: 'us-east-2' } },
        resource: { terraform_data: { b: { input: 2 }, a: { input: 'x' } } },
        tags: { Name: 'demo', 'cost-center': '12', 'with space': true },
        count: 3,
        list: ['a', 1, { k: 'v' }],
      },
    });
    expect(out['main.tf']).toBe(
      // a line opening a multi-line value ends a run of aligned `=` (hclwrite's formatter)
      'count = 3\nlist = ["a", 1, {\n  k = "v"\n}]\n' +
        'resource "terraform_data" "a" {\n  input = "x"\n}\n\n' +
        'resource "terraform_data" "b" {\n  input = 2\n}\n\n' +
        'tags = {\n  Name         = "demo"\n  cost-center  = "12"\n  "with space" = true\n}\n' +
        'variable "region" {\n  default = "us-east-2"\n  type    = "string"\n}\n\n',
    );
  });

  it('writes .tfvars as attributes that read back to the same values', () => {
    const value = { name: 'a "quoted" ${not} %{x} \\ \t line\nnext', n: 1.5, big: 12, on: false, none: null, list: [1, 'two'], map: { a: { b: [true] } } };
    const out = files({ 'terraform.tfvars': value });
    // HCL numbers read back as Atmos reads them: whole numbers
    expect(parseHclAttributes(out['terraform.tfvars']!, 'terraform.tfvars')).toEqual({ ...value, n: 1 });
    expect(hclString('é\u00a0\u200b')).toBe('"é\\u00a0\\u200b"');
  });

  it('writes YAML with sorted keys and JSON for any other extension', () => {
    const out = files({ 'values.yaml': { b: [1, 2], a: '{{ .atmos_stack }}' }, 'data.txt': { z: '<&>', a: 1 } });
    expect(out['values.yaml']).toBe('a: dev\nb:\n  - 1\n  - 2\n');
    expect(out['data.txt']).toBe('{\n  "a": 1,\n  "z": "\\u003c\\u0026\\u003e"\n}');
  });

  it("renders templates with Atmos's context and Go's functions only", () => {
    const out = files(
      {
        'ctx.txt':
          '{{ .atmos_component }} {{ .atmos_stack }} {{ .atmos_stack_file }} {{ .component }} [{{ .base_component }}] {{ .workspace }} ' +
          '{{ .stage }} [{{ .tenant }}] {{ .vars.count }} {{ len .vars.features }} {{ .missing }} {{ printf "%03d" .vars.count }}',
      },
      { component: 'demo-1', baseComponent: 'demo', workspace: 'dev-demo-1' },
    );
    expect(out['ctx.txt']).toBe('demo-1 dev deploy/dev demo [demo] dev-demo-1 dev [] 3 2 <no value> 003');
    // Atmos renders generate templates with text/template alone: no Sprig
    expect(() => files({ 'x.txt': '{{ upper .stage }}' })).toThrow(/component demo in stack dev: generate "x.txt": .*function "upper" not defined/);
  });

  it('refuses content that is neither text nor a map, and names that leave the folder or hit managed files', () => {
    expect(() => files({ 'list.tf': ['a'] })).toThrow(
      'component demo in stack dev: generate "list.tf": the content must be a string (a template) or a map, not a list',
    );
    expect(() => files({ '../escape.tf': 'x' })).toThrow(/generate file name "..\/escape.tf" has an empty, "." or ".." path segment/);
    expect(() => files({ '.atmos/metadata.json': {} })).toThrow(/would land where atmos-action keeps state/);
    expect(() => files({ 'terraform.tfstate': 'x' })).toThrow(/would land where atmos-action keeps state/);
    expect(() => files({ 'main.tf': { resource: { aws_s3_bucket: 'x' } } })).toThrow(/labeled block resource "aws_s3_bucket" expects a map/);
  });
});
