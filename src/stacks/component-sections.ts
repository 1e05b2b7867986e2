/**
 * The merge phase of one component instance (Atmos's mergeComponentConfigurations): each section
 * merged over its layers (component-layers.ts), stack → bases → component → overrides, the first
 * time it is read, so a command pays for only the sections it needs (the stack name needs a few
 * vars, a matrix entry the metadata).
 *
 * Merging is associative under replace/append (merge.ts), so the stack-wide layers (root,
 * terraform) are merged once per stack and the catalog-side layers (bases, component) once per
 * definition, shared by every stack that imports it. The element-wise `merge` strategy is not
 * associative, and a component with its own strategy is rare: both fold every layer in order.
 */
import type { ListMergeStrategy } from '../config/types.js';
import { deepEqual, deepMerge, isPlainMap, mapAt, merge3, type Plain } from '../util/merge.js';
import { withBackendDefaults } from './backend.js';
import { str } from './base-components.js';
import { ComponentLayers, lastNonEmpty } from './component-layers.js';
import { mergeSecretsSection } from './functions/secret.js';
import { findDeferredMerges, type DeferredMerge } from './deferred-merge.js';
import { withGithubIntegration } from './integrations.js';
import type { InstanceSections, SectionField } from './instance-sections.js';
import { lazy, withLazyFields } from '../util/lazy-fields.js';

/** What most instances carry as passthrough sections: nothing. Shared, so 10,000 instances hold one. */
const EMPTY_PASSTHROUGH: Plain = Object.freeze({
  auth: {},
  generate: {},
  hooks: {},
  required_providers: {},
  required_version: '',
}) as Plain;

/** The merge phase: every section of one component instance, each merged the first time it is read. */
export class ComponentSections extends ComponentLayers implements InstanceSections {
  private strategyMemo?: ListMergeStrategy;
  private memo: Partial<Record<SectionField, unknown>> = {};

  /** A component's own `settings.list_merge_strategy` wins over atmos.yaml's (§2.3). */
  get strategy(): ListMergeStrategy {
    if (this.strategyMemo === undefined) {
      // Read from the layers: the settings themselves merge under this strategy.
      const at = this.layerValue('settings', 'list_merge_strategy');
      const own = at.merges ? undefined : str(at.value);
      this.strategyMemo = own === 'append' || own === 'merge' || own === 'replace' ? own : this.run.config.listMergeStrategy;
    }
    return this.strategyMemo;
  }

  get settings(): Plain {
    return this.once('settings', () => withGithubIntegration(this.run.config, this.layered('settings')));
  }

  get vars(): Plain {
    return this.once('vars', () => this.layered('vars'));
  }

  get env(): Plain {
    return this.once('env', () => {
      const merged = this.layered('env');
      if (!Object.values(merged).some((v) => v === null || v === undefined)) return merged;
      const env: Plain = {};
      for (const [k, v] of Object.entries(merged)) if (v !== null && v !== undefined) env[k] = v;
      return env;
    });
  }

  get metadata(): Plain {
    return this.once('metadata', () => {
      const strategy = this.strategy;
      const cached = strategy === this.run.config.listMergeStrategy;
      const parts = this.partsEntry().parts;
      let tail = cached ? parts.get('\u0000metadata') : undefined;
      if (!tail) {
        tail = deepMerge([...this.src.bases.metadata, this.src.raw.metadata], strategy);
        if (cached) parts.set('\u0000metadata', tail);
      }
      return merge3(this.stack.rootMetadata, tail, undefined, strategy);
    });
  }

  get providers(): Plain {
    return this.once('providers', () => this.tfOnly('providers', true));
  }

  get overrides(): Plain {
    return this.src.overrides;
  }

  /** `backend[backend_type]` with Atmos's defaults filled in (§2.2). */
  get backend(): Plain {
    return this.once('backend', () => {
      const { raw } = this.src;
      const type = this.backendType;
      const all = this.merge([this.stack.tf.backend, ...this.baseList('backend'), raw.backend]);
      return withBackendDefaults(this.run.cache, this.run.config, type, mapAt(all, type) ?? {}, {
        name: this.src.name,
        baseComponent: this.baseComponent,
        metadataName: str(this.metadata.name),
        globalAzurermKey: str(mapAt(mapAt(this.stack.tf, 'backend'), 'azurerm')?.key),
        componentAzurermKey: () => str(mapAt(this.merge([...this.baseList('backend'), raw.backend]), 'azurerm')?.key),
      });
    });
  }

  /** Starts from the resolved backend (defaults filled in), and only when the types agree (§2.2, §5.4). */
  get remoteStateBackend(): Plain {
    return this.once('remoteStateBackend', () => {
      const type = this.explicitRemoteStateBackendType || this.backendType;
      return this.merge([
        type === this.backendType ? this.backend : undefined,
        mapAt(this.stack.tf.remote_state_backend, type),
        ...this.baseList('remote_state_backend').map((b) => mapAt(b, type)),
        mapAt(this.src.raw.remote_state_backend, type),
      ]);
    });
  }

  get source(): Plain {
    return this.once('source', () => {
      const layers = [this.stack.tf.source, ...this.baseList('source'), this.src.raw.source];
      const last = [...layers].reverse().find((s) => s !== undefined && s !== null);
      return typeof last === 'string' ? { uri: last } : this.merge(layers);
    });
  }

  get provision(): Plain {
    return this.once('provision', () => this.merge([this.stack.tf.provision, ...this.baseList('provision'), this.src.raw.provision]));
  }

  get dependencies(): Plain {
    return this.once('dependencies', () =>
      this.merge([this.stack.root.dependencies, this.stack.tf.dependencies, ...this.baseList('dependencies'), this.src.raw.dependencies]),
    );
  }

  get command(): string {
    return this.once(
      'command',
      () =>
        lastNonEmpty(
          this.run.config.terraform.command,
          str(this.stack.tf.command),
          this.src.bases.command,
          str(this.src.raw.command),
          str(this.src.overrides.command),
        ) || 'terraform',
    );
  }

  /** Sections Atmos carries along that atmos-action passes through (auth, generate, hooks, ...). */
  get passthrough(): Plain {
    return this.once('passthrough', () => {
      const { raw, bases } = this.src;
      let out: Plain = {
        auth: this.layered('auth'),
        generate: this.layered('generate'),
        hooks: this.layered('hooks'),
        required_providers: this.tfOnly('required_providers', true),
        required_version: lastNonEmpty(str(this.stack.tf.required_version), bases.requiredVersion, str(raw.required_version)),
      };
      if (isPlainMap(raw.depends_on)) out.depends_on = raw.depends_on;
      // The stack's top-level `secrets:` reaches every component, stack-scoped (functions/secret.ts).
      const secrets = mergeSecretsSection(
        { stack: this.stack.root.secrets, bases: this.baseList('secrets'), component: raw.secrets, overrides: this.src.overrides.secrets },
        this.strategy,
        `component ${this.src.name} in ${this.stack.label}`,
      );
      if (Object.keys(secrets).length) out.secrets = secrets;
      for (const s of ['retry', 'test', 'mocks'] as const) {
        const v = this.tfOnly(s, s === 'retry');
        if (Object.keys(v).length) out[s] = v;
      }
      // Component-level locals: the bases' and the component's own, no stack or overrides layer (§4.5).
      const locals = this.merge([...this.baseList('locals'), raw.locals]);
      if (Object.keys(locals).length) out.locals = locals;
      if (deepEqual(out, EMPTY_PASSTHROUGH)) out = EMPTY_PASSTHROUGH;
      return out;
    });
  }

  /**
   * Checks the `secrets:` declarations reaching this instance (an explicit scope that contradicts
   * where it is written is an error naming it) without merging the rest of the passthrough
   * sections when none is written.
   */
  checkSecretDeclarations(): void {
    const layers = [this.stack.root.secrets, ...this.baseList('secrets'), this.src.raw.secrets, this.src.overrides.secrets];
    if (layers.some((l) => l !== undefined)) void this.passthrough;
  }

  /** What `stacks.name_template` renders against: the sections before templates, each merged only if the template reads it. */
  namingData(): Plain {
    const s = this as ComponentSections;
    return withLazyFields({
      vars: lazy(() => s.vars),
      settings: lazy(() => s.settings),
      env: lazy(() => s.env),
      metadata: lazy(() => s.metadata),
      providers: lazy(() => s.providers),
      backend: lazy(() => s.backend),
      backend_type: lazy(() => s.backendType),
      component: lazy(() => s.baseComponent),
      atmos_component: s.src.name,
    });
  }

  /**
   * One var as the merge gives it, without merging vars (the stack name's and the integrations'
   * context tokens): the value of the last layer that sets it; a map or list value, which may
   * merge with lower layers, is that key's layers merged alone, as the whole section would merge
   * them (the merge goes key by key, so the other keys cannot change it).
   */
  varValue(key: string): unknown {
    if (this.memo.vars !== undefined) return (this.memo.vars as Plain)[key];
    const at = this.layerValue('vars', key);
    if (!at.merges) return at.value;
    const only = (layer: unknown) => (isPlainMap(layer) && key in layer ? { [key]: layer[key] } : undefined);
    return deepMerge(this.allLayers('vars', { root: true, overrides: true }).map(only), this.strategy)[key];
  }

  /** Whether some layer of `field` has top-level `key` (if none does, the merged section has not). */
  mayHaveKey(field: SectionField, key: string): boolean {
    // The passthrough field gathers whole sections: its keys are those sections.
    if (field === 'passthrough') return key === 'depends_on' ? isPlainMap(this.src.raw.depends_on) : key in this.passthrough;
    const { stack, definition, instance } = this.groups(field);
    const has = (l: unknown) => isPlainMap(l) && key in l;
    return stack.some(has) || definition.some(has) || instance.some(has);
  }

  /**
   * The places of a section merged after their functions are resolved (deferred-merge.ts), over
   * Atmos's four layers: stack, bases, component, overrides. Only the sections merged that way.
   */
  deferredMerges(field: SectionField): readonly DeferredMerge[] {
    if (field !== 'vars' && field !== 'settings' && field !== 'env' && field !== 'providers') return [];
    const strategy = this.strategy;
    const shared = strategy === this.run.config.listMergeStrategy && strategy !== 'merge';
    const parts = this.partsEntry().parts;
    let bases = shared ? parts.get(`\u0000bases:${field}`) : undefined;
    if (!bases) {
      bases = deepMerge(this.baseList(field), strategy);
      if (shared) parts.set(`\u0000bases:${field}`, bases);
    }
    const { raw, overrides } = this.src;
    return findDeferredMerges([this.mergedHead(field, strategy, field !== 'providers'), bases, raw[field], overrides[field]]);
  }

  private once<T>(field: SectionField, compute: () => T): T {
    if (field in this.memo) return this.memo[field] as T;
    const v = compute();
    this.memo[field] = v;
    return v;
  }

  private merge(layers: unknown[]): Plain {
    return deepMerge(layers, this.strategy);
  }

  private layered(s: string): Plain {
    return this.mergeLayers(s, this.strategy, { root: true, overrides: true });
  }

  private tfOnly(s: string, withOverrides: boolean): Plain {
    return this.mergeLayers(s, this.strategy, { root: false, overrides: withOverrides });
  }

  /** Every layer of a section, lowest first: the stack's, the bases', the component's own, its overrides. */
  private allLayers(s: string, opts: { root: boolean; overrides: boolean }): unknown[] {
    const { raw, overrides } = this.src;
    return [...this.headLayers(s, opts.root), ...this.baseList(s), raw[s], opts.overrides ? overrides[s] : undefined];
  }

  private mergeLayers(s: string, strategy: ListMergeStrategy, opts: { root: boolean; overrides: boolean }): Plain {
    if (strategy !== this.run.config.listMergeStrategy || strategy === 'merge') return deepMerge(this.allLayers(s, opts), strategy);
    const { raw, overrides } = this.src;
    const top = opts.overrides ? overrides[s] : undefined;
    const parts = this.partsEntry().parts;
    let tail = parts.get(s);
    if (!tail) {
      tail = deepMerge([...this.baseList(s), raw[s]], strategy);
      parts.set(s, tail);
    }
    return merge3(this.mergedHead(s, strategy, opts.root), tail, top, strategy);
  }

  /** The stack's layers of a section: atmos.yaml's env, the root section (unless terraform-only), the terraform section. */
  private headLayers(s: string, root: boolean): unknown[] {
    return s === 'env' ? [this.run.config.env, this.stack.root.env, this.stack.tf.env] : [root ? this.stack.root[s] : undefined, this.stack.tf[s]];
  }

  /** The stack's layers merged, once per stack under atmos.yaml's strategy. */
  private mergedHead(s: string, strategy: ListMergeStrategy, root: boolean): Plain {
    if (strategy !== this.run.config.listMergeStrategy || strategy === 'merge') return deepMerge(this.headLayers(s, root), strategy);
    const headKey = root || s === 'env' ? s : `\u0000tf:${s}`;
    let merged = this.stack.heads.get(headKey);
    if (!merged) {
      merged = deepMerge(this.headLayers(s, root), strategy);
      this.stack.heads.set(headKey, merged);
    }
    return merged;
  }
}
