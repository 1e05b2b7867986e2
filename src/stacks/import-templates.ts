/**
 * Import-time rendering of a manifest (docs/atmos-compatibility.md §11.4): a `.tmpl` file, a file
 * reached through an import `context`, or a file with `locals` is rendered as a Go template when
 * it is read, before imports are merged. Its data is the import context over the file's own
 * locals, settings, vars and env. Exact references (`"{{ .locals.tags }}"`) keep their type;
 * other strings follow the YAML round-trip typing of the component pass.
 *
 * With no outside context (only the file's own locals), a failure keeps the file unrendered, so
 * its templates wait for the component pass, as in Atmos; with a context it is an error.
 */
import { AtmosError } from '../util/errors.js';
import { isPlainMap, mapAt, type Plain } from '../util/merge.js';
import { lineOf, parseYaml } from '../util/yaml.js';
import { checkRunTimeLocals, exactFieldRef, hasLocals, LOCALS_SECTIONS, lookupChain, resolveFileLocals, RunTimeLocalError, type FileLocals } from './locals.js';
import type { FunctionPorts } from './functions/evaluate.js';
import { RoundTripError, typedResult } from './section-templates.js';
import { templateFailure, type StackTemplates } from './templating.js';
import { TemplateError } from '../templates/index.js';
import { STACK_MANIFEST_TAGS } from '../util/yaml-tags.js';

export interface RenderRequest {
  file: string;
  text: string;
  /** The import context reaching this file (merged down the import chain); empty when none. */
  context: Plain;
  skipTemplates: boolean;
  ignoreMissing: boolean;
  chain: string[];
}

/**
 * The parsed (and, when Atmos would, rendered) content of a manifest. `functions`: the ports YAML
 * functions in `locals` run with (Atmos evaluates them whatever --process-functions says).
 */
export function readManifest(req: RenderRequest, templates: StackTemplates, functions?: FunctionPorts): unknown {
  const hasContext = Object.keys(req.context).length > 0;
  // Atmos renders a `.yaml.tmpl`/`.yml.tmpl` file always; any other file (`prod.defaults.tmpl` too) only with a context or locals.
  const isTmpl = req.file.endsWith('.yaml.tmpl') || req.file.endsWith('.yml.tmpl');
  let parsed: unknown;
  let parseError: unknown;
  try {
    parsed = parseYaml(req.text, req.file, STACK_MANIFEST_TAGS);
  } catch (e) {
    parseError = e;
  }
  if (req.skipTemplates || !req.text.includes('{{')) return rethrowOr(parseError, parsed, req);
  const data = isPlainMap(parsed) ? parsed : undefined;
  const withLocals = data !== undefined && hasLocals(data);
  if (!isTmpl && !hasContext && !withLocals) return rethrowOr(parseError, parsed, req);

  const missing = req.ignoreMissing ? 'default' : 'error';
  let own: Plain = {};
  let locals: FileLocals | undefined;
  if (data) {
    own = { settings: data.settings ?? {}, vars: data.vars ?? {}, env: data.env ?? {} };
    if (withLocals) {
      locals = resolveFileLocals(data, req.file, templates, functions);
      own.locals = locals.values;
    }
  }
  const tplData: Plain = { ...own, ...req.context };

  try {
    if (data) return withoutLocals(renderParsed(data, tplData, templates, missing, req.file, req.text, locals));
    // A file that is YAML only once rendered (control flow in a .tmpl): render the text.
    const out = templates.render(req.text, tplData, 'full', missing, req.file);
    return parseYaml(out, req.file, STACK_MANIFEST_TAGS);
  } catch (e) {
    if (e instanceof RunTimeLocalError) throw new AtmosError(e.message, { file: e.file, line: e.line, chain: req.chain, cause: e });
    if (!hasContext && data) return withoutLocals(data); // Atmos keeps the file as written
    if (e instanceof AtmosError) throw new AtmosError(e.message, { file: e.file ?? req.file, line: e.line, chain: req.chain, cause: e });
    const line = e instanceof TemplateError && data === undefined ? e.line : undefined;
    const f = templateFailure(e, `rendering ${isTmpl ? 'the template manifest' : 'the imported manifest'} with its import context`, req.file, line);
    throw new AtmosError(f.message, { file: req.file, line: f.line, chain: req.chain, cause: e });
  }
}

function rethrowOr(err: unknown, parsed: unknown, req: RenderRequest): unknown {
  if (err === undefined) return parsed;
  if (err instanceof AtmosError) throw new AtmosError(err.message, { file: err.file, line: err.line, chain: req.chain });
  throw err;
}

/** Renders keys and values of the parsed file (Atmos renders its re-serialised text, keys included). */
function renderParsed(
  data: Plain,
  tplData: Plain,
  templates: StackTemplates,
  missing: 'default' | 'error',
  file: string,
  text: string,
  locals: FileLocals | undefined,
): unknown {
  const render = (s: string, keyPath: (string | number)[], asKey: boolean): unknown => {
    const exact = asKey ? undefined : exactFieldRef(s);
    if (exact !== undefined) {
      const hit = lookupChain(tplData, exact);
      if (hit !== undefined) return hit;
    }
    let out: string;
    try {
      out = templates.render(s, tplData, 'full', missing, file);
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e;
      throw new AtmosError(`${keyPath.join('.')}: ${e.message}`, { file, line: lineOf(text, keyPath), cause: e });
    }
    if (locals?.runTime.size) checkRunTimeLocals(locals, out, keyPath.join('.'), file, () => lineOf(text, keyPath));
    try {
      return asKey ? out : typedResult(s, out);
    } catch (e) {
      if (!(e instanceof TemplateError) && !(e instanceof RoundTripError)) throw e;
      throw new AtmosError(`${keyPath.join('.')}: ${e.message}`, { file, line: lineOf(text, keyPath), cause: e });
    }
  };
  const walk = (v: unknown, keyPath: (string | number)[]): unknown => {
    if (typeof v === 'string') return v.includes('{{') ? render(v, keyPath, false) : v;
    if (Array.isArray(v)) {
      const items = v.map((x, i) => walk(x, [...keyPath, i]));
      return items.every((x, i) => x === v[i]) ? v : items; // an unchanged list keeps its !append mark
    }
    if (!isPlainMap(v)) return v;
    const out: Plain = {};
    for (const [k, x] of Object.entries(v)) {
      const key = k.includes('{{') ? String(render(k, [...keyPath, k], true)) : k;
      out[key] = walk(x, [...keyPath, k]);
    }
    return out;
  };
  return walk(data, []);
}

/** File-level locals (root and section scopes) never reach the merged configuration. */
function withoutLocals(data: unknown): unknown {
  if (!isPlainMap(data)) return data;
  const sections = LOCALS_SECTIONS.filter((name) => mapAt(data, name)?.locals !== undefined);
  if (!('locals' in data) && sections.length === 0) return data;
  const { locals: _l, ...rest } = data;
  for (const name of sections) {
    const { locals: _s, ...section } = mapAt(data, name)!;
    rest[name] = section;
  }
  return rest;
}

/**
 * A `{{ }}` import path, rendered with the importing file's settings, vars and env under the
 * import contexts reaching it (missing keys are errors unless ignored). Throws the template error.
 */
export function renderImportPath(
  templates: StackTemplates,
  importPath: string,
  req: { data: Plain; context: Plain; ignoreMissing: boolean; file: string },
): string {
  const tplData = { settings: req.data.settings ?? {}, vars: req.data.vars ?? {}, env: req.data.env ?? {}, ...req.context };
  return templates.render(importPath, tplData, 'full', req.ignoreMissing ? 'default' : 'error', req.file);
}
