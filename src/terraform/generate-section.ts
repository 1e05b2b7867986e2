/**
 * The files of a component's `generate:` section (docs/atmos-compatibility.md §5.8), built as
 * Atmos builds them (`pkg/terraform/generate/file_generator.go`): a string is a Go template
 * rendered with the instance's context; a map has its strings rendered, then is written by the
 * file's extension (JSON, YAML, HCL blocks for `.tf`/`.hcl`, HCL attributes for `.tfvars`, JSON for
 * anything else). Pure: writing them is `writeGeneratedFiles`' job, into the workdir only.
 */
import { compileTemplate, TemplateError } from '../templates/index.js';
import type { Instance, Section } from '../stacks/types.js';
import { AtmosError } from '../util/errors.js';
import { safeRelativeSegments } from '../util/safe-path.js';
import { toYaml } from '../util/yaml.js';
import { isExcludedDir, isExcludedFile } from '../workdir/sync.js';
import { hclFile, type HclItem } from './hcl-write.js';

type GenerateInstance = Pick<
  Instance,
  | 'stack'
  | 'component'
  | 'baseComponent'
  | 'stackFile'
  | 'stackFilePath'
  | 'workspace'
  | 'vars'
  | 'settings'
  | 'env'
  | 'backend'
  | 'backendType'
  | 'providers'
  | 'metadata'
  | 'passthrough'
>;

const isMap = (v: unknown): v is Section => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The instance's `generate:` section (file name → content), or an empty one. */
export function generateSection(instance: Pick<Instance, 'passthrough'>): Section {
  const g = instance.passthrough.generate;
  return isMap(g) ? g : {};
}

/** The file names of the `generate:` section, as the workdir sync must treat them (regenerated, never synced). */
export function generateFileNames(instance: Pick<Instance, 'passthrough'>): string[] {
  return Object.keys(generateSection(instance));
}

/** What the templates see (Atmos's BuildTemplateContext). */
function templateContext(i: GenerateInstance): Record<string, unknown> {
  const fromVars = (k: string) => (typeof i.vars[k] === 'string' ? i.vars[k] : '');
  return {
    atmos_component: i.component,
    atmos_stack: i.stack,
    atmos_stack_file: i.stackFile,
    component: i.baseComponent,
    base_component: i.baseComponent !== i.component ? i.baseComponent : '',
    namespace: fromVars('namespace'),
    tenant: fromVars('tenant'),
    environment: fromVars('environment'),
    stage: fromVars('stage'),
    region: fromVars('region'),
    workspace: i.workspace,
    vars: i.vars,
    settings: i.settings,
    env: i.env,
    backend: i.backend,
    backend_type: i.backendType,
    providers: i.providers,
    metadata: i.metadata,
  };
}

/** Terraform labels its blocks: one label for these, two for `resource` and `data`. */
const LABELS: Record<string, number> = { variable: 1, output: 1, provider: 1, module: 1, resource: 2, data: 2 };
/** Unlabelled blocks Atmos writes from a map. */
const UNLABELLED = new Set(['locals', 'terraform']);

export interface GenerateFileOut {
  name: string;
  content: string;
}

/** Every file of the section, rendered; errors name the instance and the file. */
export function generateSectionFiles(instance: GenerateInstance): GenerateFileOut[] {
  const section = generateSection(instance);
  const where = `component ${instance.component} in stack ${instance.stack}`;
  const context = templateContext(instance);
  return Object.keys(section).map((name) => {
    const fail = (msg: string): never => {
      throw new AtmosError(`${where}: generate ${JSON.stringify(name)}: ${msg}`, { file: instance.stackFilePath });
    };
    const segments = safeRelativeSegments(name, `${where}: generate file name`);
    if (segments.some(isExcludedDir) || isExcludedFile(name)) {
      fail('the file would land where atmos-action keeps state, the provider lock file or its own metadata; generate it under another name');
    }
    const render = (text: string, templateName: string): string => {
      try {
        return compileTemplate(text, { name: templateName }).execute(context);
      } catch (e) {
        if (e instanceof TemplateError) return fail(e.message);
        throw e;
      }
    };
    const content = section[name];
    if (typeof content === 'string') return { name, content: render(content, name) };
    if (!isMap(content))
      return fail(
        `the content must be a string (a template) or a map, not ${content === null ? 'null' : Array.isArray(content) ? 'a list' : `a ${typeof content}`}`,
      );
    const rendered = renderStrings(content, render) as Section;
    try {
      return { name, content: serialize(name, rendered) };
    } catch (e) {
      if (e instanceof AtmosError) throw e;
      return fail((e as Error).message);
    }
  });
}

/** Renders every string inside a map (keys stay as written), each as its own template. */
function renderStrings(v: unknown, render: (text: string, name: string) => string, key = ''): unknown {
  if (typeof v === 'string') return render(v, key);
  if (Array.isArray(v)) return v.map((x, i) => renderStrings(x, render, `[${i}]`));
  if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderStrings(x, render, k)]));
  return v;
}

function serialize(name: string, content: Section): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > name.lastIndexOf('/') ? name.slice(dot).toLowerCase() : '';
  if (ext === '.yaml' || ext === '.yml') return toYaml(sortKeys(content));
  if (ext === '.tf' || ext === '.hcl') return hclFile(hclItems(content));
  if (ext === '.tfvars')
    return hclFile(
      Object.keys(content)
        .sort()
        .map((k) => ({ attribute: k, value: content[k] })),
    );
  return goJson(content);
}

/** Go's json.MarshalIndent with two spaces over sorted maps: keys sorted, `<`, `>`, `&` escaped, no trailing newline. */
export function goJson(value: unknown): string {
  return (JSON.stringify(sortKeys(value), null, 2) ?? 'null').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isMap(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}

/** Atmos's layout of a `.tf`/`.hcl` map: known block types become blocks, everything else attributes. */
function hclItems(content: Section): HclItem[] {
  const items: HclItem[] = [];
  for (const key of Object.keys(content).sort()) {
    const value = content[key];
    if (!isMap(value)) {
      items.push({ attribute: key, value });
    } else if (LABELS[key] !== undefined) {
      for (const first of Object.keys(value).sort()) {
        const body = value[first];
        if (!isMap(body)) throw new Error(`labeled block ${key} ${JSON.stringify(first)} expects a map`);
        if (LABELS[key] === 1) {
          items.push({ block: { type: key, labels: [first], body } });
          continue;
        }
        for (const second of Object.keys(body).sort()) {
          const inner = body[second];
          if (!isMap(inner)) throw new Error(`labeled block ${key} ${JSON.stringify(first)} ${JSON.stringify(second)} expects a map`);
          items.push({ block: { type: key, labels: [first, second], body: inner } });
        }
      }
    } else if (UNLABELLED.has(key)) {
      items.push({ block: { type: key, labels: [], body: value } });
    } else {
      items.push({ attribute: key, value });
    }
  }
  return items;
}
