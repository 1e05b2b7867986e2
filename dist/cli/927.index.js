export const id = 927;
export const ids = [927];
export const modules = {

/***/ 46927:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  affectedInstances: () => (/* binding */ affectedInstances),
  describeAffected: () => (/* binding */ describeAffected)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(14006);
var picomatch_default = /*#__PURE__*/__webpack_require__.n(picomatch);
// EXTERNAL MODULE: ./src/stacks/identity.ts
var identity = __webpack_require__(26583);
// EXTERNAL MODULE: ./src/util/merge.ts
var merge = __webpack_require__(2992);
;// CONCATENATED MODULE: ./src/graph/affected.ts
/**
 * `describe affected`: which instances a change between two commits touches, by Atmos's rules
 * (docs/atmos-compatibility.md, "describe affected"). Pure: the caller resolves both commits'
 * instances, lists the changed files and reads the module calls (app/affected.ts).
 *
 * For each deployable instance of HEAD, in Atmos's order (the first reason found is `affected`,
 * every one goes to `affected_all`): its `metadata` differs from BASE's; a changed file lies under
 * a local module its root module calls (`component.module`) or under its component folder
 * (`component`); one of the compared sections differs (`stack.<section>`); `settings` differs;
 * a file or folder it declares as a dependency changed (`file`, `folder`). An instance BASE does
 * not have differs in every section it has. An instance of BASE that HEAD no longer defines is
 * listed as deleted, never as something to plan.
 */




/** Atmos's default list of compared sections, in its order (`describe.affected.sections` replaces it). */
const AFFECTED_SECTIONS = [
    'vars',
    'env',
    'providers',
    'required_providers',
    'required_version',
    'generate',
    'backend',
    'backend_type',
    'remote_state_backend',
    'remote_state_backend_type',
    'auth',
    'command',
    'dependencies',
    'source',
    'provision',
];
/** A changed file under `dir` (absolute). */
function under(dir, files) {
    const prefix = dir.endsWith((external_node_path_default()).sep) ? dir : `${dir}${(external_node_path_default()).sep}`;
    return files.some((f) => f.startsWith(prefix));
}
/** `dependencies.files`/`folders` (or their inline `components` form), else `settings.depends_on` file/folder entries. */
function fileDependencies(i) {
    const out = [];
    const deps = i.dependencies;
    const strings = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'string' && x !== '') : []);
    for (const p of strings(deps.files))
        out.push({ kind: 'file', path: p });
    for (const p of strings(deps.folders))
        out.push({ kind: 'folder', path: p });
    for (const c of Array.isArray(deps.components) ? deps.components : []) {
        if ((0,merge/* isPlainMap */.nK)(c) && (c.kind === 'file' || c.kind === 'folder') && typeof c.path === 'string' && c.path !== '')
            out.push({ kind: c.kind, path: c.path });
    }
    if (out.length)
        return out;
    for (const entry of Object.values((0,merge/* mapAt */.SC)(i.settings, 'depends_on') ?? {})) {
        if (!(0,merge/* isPlainMap */.nK)(entry))
            continue;
        if (typeof entry.file === 'string' && entry.file !== '')
            out.push({ kind: 'file', path: entry.file });
        if (typeof entry.folder === 'string' && entry.folder !== '')
            out.push({ kind: 'folder', path: entry.folder });
    }
    return out;
}
/** The context vars Atmos copies onto deleted items and dependents (set ones only). */
function contextOf(i) {
    const out = {};
    for (const k of ['namespace', 'tenant', 'environment', 'stage']) {
        const v = i.vars[k];
        if (typeof v === 'string' && v !== '')
            out[k] = v;
    }
    return out;
}
function findAffected(inputs) {
    const base = new Map(inputs.base.map((i) => [(0,identity/* instanceKey */.pA)(i), i]));
    const sections = inputs.sections ?? AFFECTED_SECTIONS;
    const files = inputs.changedFiles;
    const items = [];
    for (const i of inputs.head) {
        if (i.abstract || !i.enabled || (inputs.excludeLocked && i.locked))
            continue;
        const was = base.get((0,identity/* instanceKey */.pA)(i));
        const now = inputs.sectionOf(i, 'head');
        const before = was ? inputs.sectionOf(was, 'base') : undefined;
        const differs = (name) => !before || !(name in before) || !(0,merge/* deepEqual */.bD)(now[name], before[name]);
        const reasons = [];
        let file;
        let folder;
        if ((0,merge/* isPlainMap */.nK)(now.metadata) && differs('metadata'))
            reasons.push('stack.metadata');
        if (files.length && inputs.moduleDirs(i).some((d) => under(d, files)))
            reasons.push('component.module');
        if (under(i.componentPath, files))
            reasons.push('component');
        for (const name of sections)
            if (name in now && differs(name))
                reasons.push(`stack.${name}`);
        if ((0,merge/* isPlainMap */.nK)(now.settings)) {
            if (differs('settings'))
                reasons.push('stack.settings');
            for (const dep of fileDependencies(i)) {
                const abs = external_node_path_default().resolve(inputs.cwd, dep.path);
                const match = picomatch_default()(dep.kind === 'folder' ? `${abs}/**` : abs, { dot: true });
                if (files.some((f) => match(f))) {
                    reasons.push(dep.kind);
                    if (dep.kind === 'file')
                        file = dep.path;
                    else
                        folder = dep.path;
                    break;
                }
            }
        }
        if (reasons.length === 0)
            continue;
        items.push({
            component: i.component,
            component_type: 'terraform',
            component_path: inputs.componentPathOf(i, 'head'),
            stack: i.stack,
            stack_slug: (0,identity/* stackSlug */.C2)(i),
            affected: reasons[0],
            affected_all: reasons,
            ...(file !== undefined && { file }),
            ...(folder !== undefined && { folder }),
            dependents: null,
            included_in_dependents: false,
            settings: inputs.includeSettings ? (now.settings ?? {}) : null,
        });
    }
    for (const i of inputs.base) {
        if (i.abstract || inputs.headHas(i))
            continue;
        const whole = !inputs.headStacks.has(i.stack);
        const reason = whole ? 'deleted.stack' : 'deleted';
        items.push({
            component: i.component,
            component_type: 'terraform',
            component_path: inputs.componentPathOf(i, 'base'),
            ...contextOf(i),
            stack: i.stack,
            stack_slug: (0,identity/* stackSlug */.C2)(i),
            affected: reason,
            affected_all: [reason],
            dependents: null,
            included_in_dependents: false,
            settings: null,
            deleted: true,
            deletion_type: whole ? 'stack' : 'component',
        });
    }
    return items;
}
/**
 * `--include-dependents`: each affected item gets the tree of instances that depend on it (the
 * dependency rules of docs/atmos-compatibility.md §4, plus output references, which Atmos does not
 * know), each sorted by stack slug; `included_in_dependents` marks an item that another item's
 * tree holds, and, within a tree, a dependent that a peer's tree holds. Deleted items get none.
 */
function addDependents(items, head, describe) {
    const dependentsOf = new Map();
    for (const i of head) {
        if (i.abstract || !i.enabled)
            continue;
        for (const d of i.dependsOn) {
            const list = dependentsOf.get((0,identity/* instanceKey */.pA)(d));
            if (list)
                list.push(i);
            else
                dependentsOf.set((0,identity/* instanceKey */.pA)(d), [i]);
        }
    }
    // A cycle stops at the instance already on the path (Atmos would recurse without end).
    const tree = (id, onPath) => (dependentsOf.get((0,identity/* instanceKey */.pA)(id)) ?? [])
        .filter((i) => !onPath.has((0,identity/* instanceKey */.pA)(i)))
        .map((i) => ({
        component: i.component,
        component_type: 'terraform',
        component_path: describe.componentPathOf(i),
        ...contextOf(i),
        stack: i.stack,
        stack_slug: (0,identity/* stackSlug */.C2)(i),
        dependents: tree(i, new Set([...onPath, (0,identity/* instanceKey */.pA)(i)])),
        included_in_dependents: false,
        settings: describe.settingsOf ? describe.settingsOf(i) : null,
    }))
        .sort((a, b) => cmp(a.stack_slug, b.stack_slug) || cmp(a.component, b.component) || cmp(a.stack, b.stack));
    for (const item of items)
        item.dependents = item.deleted ? [] : tree(item, new Set([(0,identity/* instanceKey */.pA)(item)]));
    const holds = (list, slug) => list.some((d) => d.stack_slug === slug || holds(d.dependents, slug));
    const markPeers = (list) => {
        list.forEach((d, n) => {
            d.included_in_dependents = list.some((p, m) => m !== n && (p.stack_slug === d.stack_slug || holds(p.dependents, d.stack_slug)));
            markPeers(d.dependents);
        });
    };
    items.forEach((item, n) => {
        item.included_in_dependents = items.some((other, m) => m !== n && holds(other.dependents ?? [], item.stack_slug));
        if (!item.included_in_dependents)
            markPeers(item.dependents ?? []);
    });
}
/** Every instance an affected item's dependents tree reaches, once each (what a plan of the affected instances adds). */
function dependentClosure(items) {
    const seen = new Map();
    const walk = (list) => {
        for (const d of list) {
            if (seen.has((0,identity/* instanceKey */.pA)(d)))
                continue;
            seen.set((0,identity/* instanceKey */.pA)(d), { stack: d.stack, component: d.component });
            walk(d.dependents);
        }
    };
    for (const item of items)
        walk(item.dependents ?? []);
    return [...seen.values()];
}
function cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

// EXTERNAL MODULE: ./src/graph/matrix.ts + 2 modules
var matrix = __webpack_require__(65196);
// EXTERNAL MODULE: ./src/stacks/describe.ts
var describe = __webpack_require__(10796);
// EXTERNAL MODULE: ./src/stacks/resolve.ts + 28 modules
var resolve = __webpack_require__(88230);
// EXTERNAL MODULE: ./src/util/hcl.ts + 1 modules
var hcl = __webpack_require__(49080);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(70017);
// EXTERNAL MODULE: ./src/util/log-safe.ts
var log_safe = __webpack_require__(78854);
// EXTERNAL MODULE: ./src/util/paths.ts
var paths = __webpack_require__(24964);
;// CONCATENATED MODULE: ./src/app/git-base.ts
/**
 * The BASE commit of `describe affected`, read through git (the Exec port, argv only): which commit
 * it is, the files that differ between it and HEAD (a two-tree diff of committed content, as
 * Atmos's), and its tree on disk. The tree is written into a temp folder through a temporary index
 * (`read-tree` + `checkout-index`): the user's working tree, index and `.git` are never written,
 * not even a worktree entry. A shallow clone gets the objects it lacks by a bounded fetch, or a
 * refusal saying how to check out.
 */






/** A shallow clone is deepened this many commits at a time, at most {@link DEEPEN_ROUNDS} times. */
const DEEPEN_STEP = 50;
const DEEPEN_ROUNDS = 10;
const REMEDY = 'check out with the full history (actions/checkout with fetch-depth: 0), or fetch the base commit before this step';
function gitRunner(ports) {
    return async (cwd, args, opts = {}) => {
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(), ports.envSettings.gitTimeoutMs);
        try {
            // Never an ext:: transport, never a prompt, never an LFS download.
            const r = await ports.exec.run('git', ['-c', 'protocol.ext.allow=never', ...args], {
                cwd,
                env: { ...ports.env, GIT_TERMINAL_PROMPT: '0', GIT_LFS_SKIP_SMUDGE: '1', ...opts.env },
                signal: deadline.signal,
                killSignal: 'SIGKILL',
            });
            if (deadline.signal.aborted) {
                throw new errors/* AtmosError */.f7(`git ${args[0]} did not finish within ${ports.envSettings.gitTimeoutMs / 1000} s (ATMOS_ACTION_GIT_TIMEOUT sets the deadline)`);
            }
            if (r.code !== 0 && !opts.allowFail)
                throw new errors/* AtmosError */.f7(`git ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
            return r;
        }
        finally {
            clearTimeout(timer);
        }
    };
}
/** A ref git could read as an option, or holding white space or a control character, is refused before git sees it. */
function checkRef(ref, what) {
    (0,log_safe/* refuseControlChars */.d5)(ref, what);
    if (ref === '' || ref.startsWith('-') || /\s/.test(ref))
        throw new errors/* AtmosError */.f7(`${what} ${(0,log_safe/* showValue */.vp)(ref)} is not a git ref or commit`);
}
async function checkoutBase(cwd, spec, opts, ports) {
    const git = gitRunner(ports);
    const top = await git(cwd, ['rev-parse', '--show-toplevel'], { allowFail: true });
    if (top.code !== 0)
        throw new errors/* AtmosError */.f7(`describe affected compares two git commits: ${cwd} is not inside a git repository`);
    const headRoot = external_node_fs_default().realpathSync(top.stdout.trim());
    const commit = async (root, ref) => {
        const r = await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { allowFail: true });
        return r.code === 0 ? r.stdout.trim() : undefined;
    };
    const headCommit = await commit(headRoot, 'HEAD');
    if (!headCommit)
        throw new errors/* AtmosError */.f7(`describe affected compares two git commits: the repository at ${headRoot} has no commit yet`);
    if ('repoPath' in spec) {
        const other = external_node_path_default().resolve(cwd, spec.repoPath);
        const otherTop = await git(other, ['rev-parse', '--show-toplevel'], { allowFail: true });
        if (otherTop.code !== 0)
            throw new errors/* AtmosError */.f7(`--repo-path ${other} is not a git checkout`);
        const baseRoot = external_node_fs_default().realpathSync(otherTop.stdout.trim());
        const baseCommit = (await commit(baseRoot, 'HEAD')) ?? '';
        const changed = diffTrees(await tree(git, headRoot, headCommit), baseCommit ? await tree(git, baseRoot, baseCommit) : new Map());
        return { headRoot, headCommit, baseCommit, baseRoot, changedFiles: changed.map((f) => external_node_path_default().join(headRoot, f)), cleanup: () => undefined };
    }
    const wanted = 'sha' in spec ? spec.sha : spec.ref;
    checkRef(wanted, 'sha' in spec ? '--sha' : 'the base ref');
    const shallow = (await git(headRoot, ['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
    /** The commit, fetched from origin when this clone lacks it. */
    const present = async (ref) => {
        const found = await commit(headRoot, ref);
        if (found)
            return found;
        const fetched = await git(headRoot, ['fetch', '-q', '--no-tags', '--depth=1', 'origin', '--', ref], { allowFail: true });
        const after = fetched.code === 0 ? ((await commit(headRoot, ref)) ?? (await commit(headRoot, 'FETCH_HEAD'))) : undefined;
        if (!after)
            throw new errors/* AtmosError */.f7(`the base ${ref} is not in this clone${shallow ? ' (a shallow clone)' : ''} and could not be fetched from origin: ${REMEDY}`);
        ports.log.info(`fetched the base ${ref} from origin`);
        return after;
    };
    let baseCommit;
    const parents = await rawParents(git, headRoot, headCommit);
    const prHead = opts.prHead ? await commit(headRoot, opts.prHead) : undefined;
    if (opts.forkPoint && parents.length === 2 && opts.prHead && (prHead === parents[1] || opts.prHead === parents[1])) {
        // GitHub's merge commit of the pull request: its first parent is the base it merges into.
        baseCommit = await present(parents[0]);
    }
    else {
        const base = await present(wanted);
        baseCommit = opts.forkPoint && base !== headCommit && !parents.includes(base) ? await forkPoint(git, headRoot, headCommit, base, shallow, ports) : base;
    }
    const temp = external_node_fs_default().mkdtempSync((0,paths/* baseTreeTempPrefix */.i5)(external_node_os_default().tmpdir()));
    const cleanup = () => external_node_fs_default().rmSync(temp, { recursive: true, force: true });
    try {
        const baseRoot = external_node_path_default().join(temp, 'tree');
        const index = { GIT_INDEX_FILE: external_node_path_default().join(temp, 'index') };
        await git(headRoot, ['read-tree', baseCommit], { env: index });
        await git(headRoot, ['checkout-index', '-a', '-f', `--prefix=${baseRoot}${(external_node_path_default()).sep}`], { env: index });
        external_node_fs_default().mkdirSync(baseRoot, { recursive: true });
        const changed = diffTrees(await tree(git, headRoot, headCommit), await tree(git, headRoot, baseCommit));
        return { headRoot, headCommit, baseCommit, baseRoot, changedFiles: changed.map((f) => external_node_path_default().join(headRoot, f)), cleanup };
    }
    catch (e) {
        cleanup();
        throw e;
    }
}
/** The parents a commit object names (its raw text: a shallow clone's grafts do not hide them). */
async function rawParents(git, root, sha) {
    const r = await git(root, ['cat-file', 'commit', sha]);
    const header = r.stdout.split('\n\n')[0] ?? '';
    return header
        .split('\n')
        .filter((l) => l.startsWith('parent '))
        .map((l) => l.slice('parent '.length).trim());
}
/** The merge base of HEAD and the base, deepening a shallow clone a bounded number of times to find it. */
async function forkPoint(git, root, head, base, shallow, ports) {
    for (let round = 0;; round++) {
        const mb = await git(root, ['merge-base', head, base], { allowFail: true });
        if (mb.code === 0) {
            const found = mb.stdout.trim();
            if (found !== base)
                ports.log.info(`HEAD does not contain the base ${base.slice(0, 12)}: comparing with their fork point ${found.slice(0, 12)}`);
            return found;
        }
        if (!shallow) {
            ports.log.warn(`HEAD and the base ${base.slice(0, 12)} share no history: comparing with the base itself`);
            return base;
        }
        if (round === DEEPEN_ROUNDS) {
            throw new errors/* AtmosError */.f7(`HEAD and the base ${base.slice(0, 12)} share no history within ${DEEPEN_STEP * DEEPEN_ROUNDS} commits of this shallow clone: ${REMEDY}`);
        }
        const deepened = await git(root, ['fetch', '-q', '--no-tags', `--deepen=${DEEPEN_STEP}`, 'origin'], { allowFail: true });
        if (deepened.code !== 0)
            throw new errors/* AtmosError */.f7(`HEAD and the base ${base.slice(0, 12)} share no history in this shallow clone, and it could not be deepened: ${REMEDY}`);
    }
}
/** path → mode and blob of every file in a commit. */
async function tree(git, root, sha) {
    const r = await git(root, ['ls-tree', '-r', '-z', '--full-tree', sha]);
    const out = new Map();
    for (const entry of r.stdout.split('\0')) {
        const tab = entry.indexOf('\t');
        if (tab > 0)
            out.set(entry.slice(tab + 1), entry.slice(0, tab));
    }
    return out;
}
/** Paths added, removed or changed between two trees, sorted. */
function diffTrees(head, base) {
    const changed = new Set();
    for (const [p, v] of head)
        if (base.get(p) !== v)
            changed.add(p);
    for (const p of base.keys())
        if (!head.has(p))
            changed.add(p);
    return [...changed].sort();
}

;// CONCATENATED MODULE: ./src/app/affected.ts
/**
 * `describe affected`: the instances a change between BASE and HEAD touches (graph/affected.ts has
 * the rules). HEAD is the working tree, resolved as every command resolves it; BASE is the base
 * commit's tree (app/git-base.ts), resolved with HEAD's atmos.yaml whose paths are moved into that
 * tree, as Atmos does. Only the changed files come from the commits themselves.
 */










async function describeAffected(project, settings, ports) {
    const git = await checkoutBase(project.cwd, settings.base, { forkPoint: settings.forkPoint, prHead: settings.prHead }, ports);
    try {
        const config = project.config;
        // Config paths may spell the checkout through a link (/tmp, /var on macOS): map from that spelling.
        const headRoot = logicalRoot(config.basePath, git.headRoot);
        const changedFiles = git.changedFiles.map((f) => external_node_path_default().join(headRoot, external_node_path_default().relative(git.headRoot, f)));
        const inStack = (i) => !settings.stack || i.stack === settings.stack;
        const head = project.stacks.all({ includeAbstract: false }).instances.filter(inStack);
        const headNames = project.stacks.instanceNames();
        const headKeys = new Set(headNames.map(identity/* instanceKey */.pA));
        const toBase = (p) => moved(p, headRoot, git.baseRoot);
        const fromBase = (p) => moved(p, git.baseRoot, headRoot);
        const baseConfig = rebased(config, toBase);
        const base = baseInstances(baseConfig, toBase(project.cwd), project, ports).filter(inStack);
        const modules = new Map();
        const items = findAffected({
            head,
            headHas: (id) => headKeys.has((0,identity/* instanceKey */.pA)(id)),
            headStacks: new Set(headNames.map((n) => n.stack)),
            base,
            sectionOf: (i, side) => side === 'head' ? (0,describe/* describeStacksSection */._o)(i, config) : mapStrings((0,describe/* describeStacksSection */._o)(i, baseConfig), git.baseRoot, headRoot),
            componentPathOf: (i, side) => (0,matrix/* posixRelative */.qi)(project.cwd, side === 'head' ? i.componentPath : fromBase(i.componentPath)),
            changedFiles,
            moduleDirs: (i) => {
                let dirs = modules.get(i.componentPath);
                if (!dirs)
                    modules.set(i.componentPath, (dirs = localModuleDirs(i.componentPath)));
                return dirs;
            },
            cwd: project.cwd,
            sections: configuredSections(config),
            excludeLocked: settings.excludeLocked,
            includeSettings: settings.includeSettings,
        });
        if (settings.includeDependents) {
            addDependents(items, head, {
                componentPathOf: (i) => (0,matrix/* posixRelative */.qi)(project.cwd, i.componentPath),
                settingsOf: settings.includeSettings ? (i) => (0,describe/* describeStacksSection */._o)(i, config).settings ?? {} : undefined,
            });
        }
        const order = (a, b) => Number(a.deleted ?? false) - Number(b.deleted ?? false) || affected_cmp(a.stack, b.stack) || affected_cmp(a.component, b.component);
        return { items: items.sort(order), headCommit: git.headCommit, baseCommit: git.baseCommit, changedFiles: changedFiles.length, head };
    }
    finally {
        git.cleanup();
    }
}
/**
 * BASE's concrete instances that resolve. One that does not (a broken manifest the change fixes)
 * counts as absent, so its HEAD instance is affected; a BASE without stacks is empty, as in Atmos.
 */
function baseInstances(config, cwd, project, ports) {
    const quiet = { ...ports.log, info: ports.log.debug, warn: (m) => ports.log.debug(`BASE: ${m}`) };
    const stacks = new resolve/* Stacks */.Mb(config, {
        log: quiet,
        env: ports.env,
        cwd,
        execSync: ports.execSync,
        processTemplates: project.switches.processTemplates,
        processFunctions: project.switches.processFunctions,
    });
    let names;
    try {
        names = stacks.instanceNames();
    }
    catch (e) {
        ports.log.warn(`the base commit's stacks cannot be read (${e.message}): every instance of HEAD counts as new`);
        return [];
    }
    const out = [];
    const seen = new Set();
    for (const n of names) {
        if (n.abstract || seen.has((0,identity/* instanceKey */.pA)(n)))
            continue;
        seen.add((0,identity/* instanceKey */.pA)(n));
        try {
            out.push(stacks.instance(n.component, n.stack));
        }
        catch (e) {
            ports.log.warn(`${n.component} in stack ${n.stack} does not resolve at the base commit (${e.message.split('\n')[0]}): it counts as new`);
        }
    }
    return out;
}
/** HEAD's atmos.yaml with its paths moved into BASE's tree (Atmos reads BASE with HEAD's configuration). */
function rebased(config, move) {
    return {
        ...config,
        configDir: move(config.configDir),
        basePath: move(config.basePath),
        stacks: {
            ...config.stacks,
            basePath: move(config.stacks.basePath),
            includedPaths: config.stacks.includedPaths.map(move),
            excludedPaths: config.stacks.excludedPaths.map(move),
        },
        terraform: { ...config.terraform, basePath: move(config.terraform.basePath) },
        vendorBasePath: config.vendorBasePath && move(config.vendorBasePath),
    };
}
/** `p` moved from under `from` to under `to` (unchanged when it is not under `from`). */
function moved(p, from, to) {
    const rel = external_node_path_default().relative(from, p);
    return rel === '' ? to : rel.startsWith('..') || external_node_path_default().isAbsolute(rel) ? p : external_node_path_default().join(to, rel);
}
/** The checkout's top folder as the configuration's paths spell it (they may go through a link). */
function logicalRoot(basePath, realRoot) {
    try {
        return external_node_path_default().resolve(basePath, external_node_path_default().relative(external_node_fs_default().realpathSync(basePath), realRoot));
    }
    catch {
        return realRoot;
    }
}
/** Every string with `from` replaced by `to`: BASE's paths (`!repo-root`, folders) compare equal to HEAD's. */
function mapStrings(v, from, to) {
    if (typeof v === 'string')
        return v.includes(from) ? v.split(from).join(to) : v;
    if (Array.isArray(v))
        return v.map((x) => mapStrings(x, from, to));
    if ((0,merge/* isPlainMap */.nK)(v))
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapStrings(x, from, to)]));
    return v;
}
/** `describe.affected.sections` of atmos.yaml, when set: it replaces the compared sections. */
function configuredSections(config) {
    const list = (0,merge/* mapAt */.SC)((0,merge/* mapAt */.SC)(config.raw, 'describe'), 'affected')?.sections;
    return Array.isArray(list) && list.length > 0 ? list.filter((s) => typeof s === 'string') : undefined;
}
/**
 * The folders of the local modules a root module calls: the `module` blocks of its `.tf` and
 * `.tf.json` files without a `version`, their `source` joined to the file's folder, as Atmos does.
 * A missing folder has none.
 */
function localModuleDirs(componentPath) {
    let names;
    try {
        names = external_node_fs_default().readdirSync(componentPath).filter((n) => n.endsWith('.tf') || n.endsWith('.tf.json'));
    }
    catch {
        return [];
    }
    const dirs = new Set();
    for (const name of names.sort()) {
        const file = external_node_path_default().join(componentPath, name);
        for (const call of (0,hcl/* terraformModuleCalls */.e)(external_node_fs_default().readFileSync(file, 'utf8'), file, name.endsWith('.json'))) {
            if (call.version === undefined)
                dirs.add(external_node_path_default().resolve(componentPath, call.source));
        }
    }
    return [...dirs];
}
function affected_cmp(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * The instances to plan: the affected ones (never a deleted one: it has nothing to plan at HEAD),
 * and, when dependents were asked for, every instance their dependents trees reach.
 */
function affectedInstances(result) {
    const keys = new Set(result.items.filter((i) => !i.deleted).map(identity/* instanceKey */.pA));
    for (const d of dependentClosure(result.items))
        keys.add((0,identity/* instanceKey */.pA)(d));
    return result.head.filter((i) => keys.has((0,identity/* instanceKey */.pA)(i)));
}


/***/ })

};
