/**
 * `terraform show -json <planfile>` → what a plan would do, by address. The result holds addresses,
 * actions and counts only, never an attribute or output value: the JSON plan carries sensitive
 * values in clear text, and nothing read from it may reach a log, a PR comment or a stored result.
 */
import { AtmosError } from '../util/errors.js';

export type ResourceAction = 'create' | 'update' | 'delete' | 'replace' | 'forget';

export interface OutputChange {
  name: string;
  action: 'create' | 'update' | 'delete';
  /** Terraform marks the output sensitive (its value is never read here either way). */
  sensitive: boolean;
}

export interface PlanResult {
  /** Addresses per action, each list sorted. A replace appears only under `replace`. */
  add: string[];
  change: string[];
  destroy: string[];
  replace: string[];
  /** Removed from state without being destroyed (`removed { lifecycle { destroy = false } }`). */
  forget: string[];
  /** Imported (possibly also updated; an imported resource that changes is listed under both). */
  import: string[];
  moved: { from: string; to: string }[];
  outputs: OutputChange[];
  counts: { add: number; change: number; destroy: number; replace: number; forget: number; import: number; moved: number; outputs: number };
  hasChanges: boolean;
  /** The plan can be applied (false for errored plans). */
  applyable: boolean;
  terraformVersion?: string;
}

interface JsonChange {
  actions?: unknown;
  importing?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
}

interface JsonResourceChange {
  address?: unknown;
  previous_address?: unknown;
  change?: JsonChange;
}

const isStr = (v: unknown): v is string => typeof v === 'string';

/** Terraform's action list for one resource → one action (replace = delete+create in either order; no-op and read are not changes). */
export function resourceAction(actions: readonly string[]): ResourceAction | 'no-op' | 'read' {
  const key = [...actions].sort().join(',');
  switch (key) {
    case 'create':
      return 'create';
    case 'update':
      return 'update';
    case 'delete':
      return 'delete';
    case 'create,delete':
      return 'replace';
    case 'forget':
      return 'forget';
    case 'create,forget': // a replace whose old object is forgotten rather than destroyed
      return 'replace';
    case 'read':
      return 'read';
    case 'no-op':
    case '':
      return 'no-op';
    default:
      throw new AtmosError(`terraform plan JSON has an unknown action list [${actions.join(', ')}]`);
  }
}

function outputAction(actions: readonly string[]): OutputChange['action'] | undefined {
  const key = [...actions].sort().join(',');
  if (key === 'create' || key === 'update' || key === 'delete') return key;
  if (key === 'create,delete') return 'update';
  return undefined;
}

/** Parses the JSON text terraform prints for `show -json <planfile>`. */
export function parsePlanJson(text: string): PlanResult {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    // Never echo the text: it is the plan, values included.
    throw new AtmosError(`terraform show -json printed something that is not JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || !('format_version' in doc)) {
    throw new AtmosError('terraform show -json did not print a plan (no format_version)');
  }
  const r: PlanResult = {
    add: [],
    change: [],
    destroy: [],
    replace: [],
    forget: [],
    import: [],
    moved: [],
    outputs: [],
    counts: { add: 0, change: 0, destroy: 0, replace: 0, forget: 0, import: 0, moved: 0, outputs: 0 },
    hasChanges: false,
    applyable: doc.applyable !== false && doc.errored !== true,
    terraformVersion: isStr(doc.terraform_version) ? doc.terraform_version : undefined,
  };
  const lists: Record<ResourceAction, string[]> = {
    create: r.add,
    update: r.change,
    delete: r.destroy,
    replace: r.replace,
    forget: r.forget,
  };
  for (const rc of (Array.isArray(doc.resource_changes) ? doc.resource_changes : []) as JsonResourceChange[]) {
    if (!isStr(rc.address)) continue;
    const actions = Array.isArray(rc.change?.actions) ? (rc.change!.actions as unknown[]).filter(isStr) : [];
    const action = resourceAction(actions);
    if (action !== 'no-op' && action !== 'read') lists[action].push(rc.address);
    if (rc.change?.importing !== undefined && rc.change.importing !== null) r.import.push(rc.address);
    if (isStr(rc.previous_address) && rc.previous_address !== rc.address) r.moved.push({ from: rc.previous_address, to: rc.address });
  }
  const outputs = doc.output_changes;
  if (typeof outputs === 'object' && outputs !== null) {
    for (const [name, oc] of Object.entries(outputs as Record<string, JsonChange>)) {
      const actions = Array.isArray(oc?.actions) ? (oc.actions as unknown[]).filter(isStr) : [];
      const action = outputAction(actions);
      if (action) r.outputs.push({ name, action, sensitive: oc.before_sensitive === true || oc.after_sensitive === true });
    }
  }
  for (const list of [r.add, r.change, r.destroy, r.replace, r.forget, r.import]) list.sort();
  r.moved.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  r.outputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  r.counts = {
    add: r.add.length,
    change: r.change.length,
    destroy: r.destroy.length,
    replace: r.replace.length,
    forget: r.forget.length,
    import: r.import.length,
    moved: r.moved.length,
    outputs: r.outputs.length,
  };
  r.hasChanges = Object.values(r.counts).some((n) => n > 0);
  return r;
}

/** `+2 ~1 -0 ±1` style one-liner for tables and logs (addresses only, never values). */
export function summarizePlan(p: PlanResult): string {
  const parts = [`+${p.counts.add}`, `~${p.counts.change}`, `-${p.counts.destroy}`];
  if (p.counts.replace) parts.push(`±${p.counts.replace}`);
  if (p.counts.import) parts.push(`import ${p.counts.import}`);
  if (p.counts.forget) parts.push(`forget ${p.counts.forget}`);
  if (p.counts.moved) parts.push(`moved ${p.counts.moved}`);
  if (p.counts.outputs) parts.push(`outputs ${p.counts.outputs}`);
  return parts.join(' ');
}
