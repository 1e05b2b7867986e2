import type { Plain } from '../util/merge.js';

/**
 * Names Atmos derives from a resolved component: canonical stack name (§1.3), Terraform workspace
 * (§5.3), varfile and planfile (§5.2).
 */

const CONTEXT_TOKENS = ['namespace', 'tenant', 'environment', 'stage'] as const;

const patternTokens = new Map<string, string[]>();

/** The vars a name_pattern uses: only {namespace} {tenant} {environment} {stage} count (§1.3). */
function tokensOf(pattern: string): string[] {
  let tokens = patternTokens.get(pattern);
  if (!tokens) {
    tokens = pattern
      .split('-')
      .map((part) => /^\{(\w+)\}$/.exec(part)?.[1])
      .filter((t): t is string => t !== undefined && (CONTEXT_TOKENS as readonly string[]).includes(t));
    patternTokens.set(pattern, tokens);
  }
  return tokens;
}

/** `{tenant}-{environment}-{stage}` → value from vars (`varOf`); undefined when a token's var is missing. */
export function renderNamePattern(pattern: string, varOf: (name: string) => unknown): string | undefined {
  let out = '';
  for (const t of tokensOf(pattern)) {
    const v = varOf(t);
    if (v === undefined || v === null || v === '') return undefined;
    out = out ? `${out}-${String(v)}` : String(v);
  }
  return out || undefined;
}

export interface WorkspaceInput {
  stack: string;
  component: string;
  baseComponent: string;
  backendType: string;
  metadata: Plain;
  /** The component's own metadata (not inherited): a literal terraform_workspace set here beats an inherited pattern. */
  ownMetadata: Plain;
  /** One var of the instance (only a workspace pattern reads any). */
  varOf: (name: string) => unknown;
  workspacesEnabled: boolean;
  /** Context tokens of terraform_workspace_pattern come from vars only under name_pattern/`name:` naming. */
  contextTokensFromVars: boolean;
}

/** Terraform workspace, §5.3. Returns undefined when it needs a Go template (terraform_workspace_template). */
export function buildWorkspace(w: WorkspaceInput): string | undefined {
  if (!w.workspacesEnabled || w.backendType === 'http') return 'default';
  const md = w.metadata;
  let ws: string;
  const own = w.ownMetadata;
  const ownLiteral = typeof own.terraform_workspace === 'string' && own.terraform_workspace !== '';
  const ownPatternOrTemplate = Boolean(own.terraform_workspace_pattern) || Boolean(own.terraform_workspace_template);
  if (ownLiteral && !ownPatternOrTemplate) {
    // Atmos 1.226 drops an inherited pattern/template when the instance sets a literal (§5.3).
    ws = own.terraform_workspace as string;
  } else if (typeof md.terraform_workspace_template === 'string' && md.terraform_workspace_template !== '') {
    return undefined;
  } else if (typeof md.terraform_workspace_pattern === 'string' && md.terraform_workspace_pattern !== '') {
    const ctx = (k: string) => {
      const v = w.contextTokensFromVars ? w.varOf(k) : undefined;
      return v !== undefined && v !== null ? String(v) : '';
    };
    const attributeList = w.contextTokensFromVars ? w.varOf('attributes') : undefined;
    const attributes = Array.isArray(attributeList) ? attributeList.map(String).join('-') : '';
    const tokens: Record<string, string> = {
      namespace: ctx('namespace'),
      tenant: ctx('tenant'),
      environment: ctx('environment'),
      region: ctx('region'),
      stage: ctx('stage'),
      attributes: w.contextTokensFromVars ? attributes : '',
      component: w.component,
      'base-component': w.baseComponent,
      'component-path': w.baseComponent.replace(/\//g, '-'),
      workspace: '',
    };
    ws = md.terraform_workspace_pattern.replace(/\{([\w-]+)\}/g, (all, t: string) => (t in tokens ? tokens[t] : all));
  } else if (typeof md.terraform_workspace === 'string' && md.terraform_workspace !== '') {
    ws = md.terraform_workspace;
  } else if (w.baseComponent === w.component) {
    ws = w.stack;
  } else {
    ws = `${w.stack}-${w.component}`;
  }
  return ws.replace(/\//g, '-');
}

/** `<stack>-[<prefix>-]<comp>` shared by the varfile and planfile names (§5.2). */
function fileStem(stack: string, component: string, baseComponent: string): string {
  const comp = component.slice(component.lastIndexOf('/') + 1);
  const folder = baseComponent || component;
  const cut = folder.lastIndexOf('/');
  const prefix = cut > 0 ? folder.slice(0, cut).replace(/\//g, '-') : '';
  return prefix ? `${stack}-${prefix}-${comp}` : `${stack}-${comp}`;
}

export function varfileName(stack: string, component: string, baseComponent: string): string {
  return `${fileStem(stack, component, baseComponent)}.terraform.tfvars.json`;
}

export function planfileName(stack: string, component: string, baseComponent: string): string {
  return `${fileStem(stack, component, baseComponent)}.planfile`;
}
