export const id = 871;
export const ids = [871];
export const modules = {

/***/ 30871:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  dirEntries: () => (/* binding */ dirEntries),
  runApply: () => (/* binding */ runApply),
  runApplyMatrix: () => (/* binding */ runApplyMatrix),
  runComment: () => (/* binding */ runComment),
  runFindPlans: () => (/* binding */ runFindPlans),
  runPlan: () => (/* binding */ runPlan),
  setToolVersionOutputs: () => (/* binding */ setToolVersionOutputs)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: ./src/graph/select.ts
var graph_select = __webpack_require__(96934);
// EXTERNAL MODULE: ./src/lock/lock.ts
var lock = __webpack_require__(82872);
// EXTERNAL MODULE: ./src/stacks/identity.ts
var identity = __webpack_require__(26583);
;// CONCATENATED MODULE: ./src/terraform/commands.ts
const colorArgs = (s) => (s.color ? [] : ['-no-color']);
function initArgs(o) {
    return [
        'init',
        ...(o.reconfigure ? ['-reconfigure'] : []),
        '-input=false',
        ...(o.noLock ? ['-lock=false'] : []),
        ...colorArgs(o),
        ...(o.varfile ? ['-var-file', o.varfile] : []),
    ];
}
/** `workspace select -or-create` (terraform ≥ 1.4, every OpenTofu): one process instead of select-then-new. */
function workspaceSelectArgs(workspace, s = {}) {
    return ['workspace', 'select', '-or-create', ...colorArgs(s), workspace];
}
/** Fallback for binaries without `-or-create`, as Atmos does when select fails. */
function workspaceNewArgs(workspace, s = {}) {
    return ['workspace', 'new', ...colorArgs(s), workspace];
}
/** `-detailed-exitcode`: 0 no changes, 1 error, 2 changes. */
function planArgs(o) {
    return ['plan', ...(o.destroy ? ['-destroy'] : []), '-out', o.planfile, '-detailed-exitcode', '-input=false', ...colorArgs(o), '-var-file', o.varfile];
}
function showJsonArgs(planfile) {
    return ['show', '-json', planfile];
}
/** A saved plan is applied as is: no approval prompt, no varfile (the plan carries its variables). */
function applyArgs(planfile, s = {}) {
    return ['apply', '-input=false', ...colorArgs(s), planfile];
}
/** `version -json`: the version apply compares with the one a plan was made with (OpenTofu prints the same key). */
function versionArgs() {
    return ['version', '-json'];
}
/** `terraform_version` from `version -json` output, or null. */
function parseVersionJson(stdout) {
    try {
        const v = JSON.parse(stdout).terraform_version;
        return typeof v === 'string' ? v : null;
    }
    catch {
        return null;
    }
}
/**
 * Whether the runner selects a workspace for this backend. Every state backend with workspaces
 * (local, s3, gcs, azurerm, remote, consul, pg, kubernetes, cos, oss, …) gets one; `http` has only
 * `default` (Atmos skips it too); a `cloud` block naming one fixed workspace (`workspaces.name`)
 * selects it itself. A user's `TF_WORKSPACE` already selects, and terraform refuses `workspace
 * select` while it is set.
 */
function workspaceStep(backendType, backend, env) {
    if (backendType === 'http')
        return { select: false, why: 'the http backend has no workspaces' };
    if (backendType === 'cloud') {
        const ws = backend.workspaces;
        if (typeof ws === 'object' && ws !== null && typeof ws.name === 'string') {
            return { select: false, why: 'the cloud block names its workspace' };
        }
    }
    if (env.TF_WORKSPACE)
        return { select: false, why: `TF_WORKSPACE=${env.TF_WORKSPACE} is set in the environment` };
    return { select: true };
}
/** Variables the runner always sets: terraform knows it runs unattended and never prompts. */
const AUTOMATION_ENV = { TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
function envValue(v) {
    return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}
/**
 * The environment terraform runs in: the user's, then the component's `env` section, then
 * TF_IN_AUTOMATION and TF_INPUT. Under parallel runs a TF_PLUGIN_CACHE_DIR is dropped: terraform's
 * plugin cache unzips in place and is not safe for concurrent writers (corrupt packages, poisoned
 * lock files), so each instance then installs into its own `.terraform/`. Atmos drops it the same
 * way for concurrent runs.
 */
function terraformEnv(input) {
    const env = {};
    for (const [k, v] of Object.entries(input.userEnv))
        if (v !== undefined)
            env[k] = v;
    for (const [k, v] of Object.entries(input.componentEnv))
        if (v !== undefined && v !== null)
            env[k] = envValue(v);
    Object.assign(env, AUTOMATION_ENV);
    const notes = [];
    // Terraform appends these to the commands the runner builds; worth a line when a plan behaves oddly.
    for (const k of Object.keys(env)
        .filter((k) => /^TF_CLI_ARGS(_|$)/.test(k))
        .sort()) {
        notes.push(`${k} is set: terraform adds "${env[k]}" to the commands atmos-action runs`);
    }
    if (input.parallel && env.TF_PLUGIN_CACHE_DIR !== undefined) {
        notes.push(`TF_PLUGIN_CACHE_DIR=${env.TF_PLUGIN_CACHE_DIR} is not passed to parallel terraform runs: terraform's plugin cache is not safe ` +
            'for concurrent inits, so each instance installs its providers into its own .terraform/ instead');
        delete env.TF_PLUGIN_CACHE_DIR;
        delete env.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE;
    }
    return { env, notes };
}

;// CONCATENATED MODULE: ./src/terraform/plan-drift.ts
/** At most this many changed files are named in one message; the rest are counted. */
const NAMED_FILES = 5;
/**
 * Differences between what was planned and the present, one sentence each, naming what changed;
 * empty when apply may go on.
 */
function planDrift(meta, now) {
    const out = [];
    if (meta.configSha256 !== now.configSha256) {
        out.push(`the resolved configuration changed since the plan (stack file ${meta.stackFile} or what it imports): plan again`);
    }
    if (meta.lockFileSha256 !== now.lockFileSha256) {
        const show = (h) => (h ? `${h.slice(0, 12)}…` : 'none');
        out.push(`the provider lock file changed since the plan (${show(meta.lockFileSha256)} → ${show(now.lockFileSha256)}): plan again`);
    }
    const changes = [];
    for (const [file, hash] of Object.entries(meta.files)) {
        if (!(file in now.files))
            changes.push(`${file} removed`);
        else if (now.files[file] !== hash)
            changes.push(`${file} changed`);
    }
    for (const file of Object.keys(now.files))
        if (!(file in meta.files))
            changes.push(`${file} added`);
    if (changes.length) {
        const more = changes.length > NAMED_FILES ? `, and ${changes.length - NAMED_FILES} more` : '';
        out.push(`the code changed since the plan (${changes.slice(0, NAMED_FILES).join(', ')}${more}): plan again`);
    }
    if (meta.terraformVersion && meta.terraformVersion !== now.terraformVersion) {
        out.push(`terraform version ${meta.terraformVersion} → ${now.terraformVersion ?? 'unknown'} since the plan: apply with ${meta.terraformVersion}, or plan again`);
    }
    return out;
}

// EXTERNAL MODULE: ./src/terraform/plan-seal.ts
var plan_seal = __webpack_require__(75367);
// EXTERNAL MODULE: ./src/terraform/plan-store.ts
var plan_store = __webpack_require__(16985);
// EXTERNAL MODULE: ./src/util/atomic-fs.ts
var atomic_fs = __webpack_require__(55571);
// EXTERNAL MODULE: ./src/util/errors.ts
var util_errors = __webpack_require__(70017);
// EXTERNAL MODULE: ./src/util/paths.ts
var paths = __webpack_require__(24964);
// EXTERNAL MODULE: ./src/stacks/describe.ts
var describe = __webpack_require__(10796);
// EXTERNAL MODULE: ./src/workdir/hash.ts
var hash = __webpack_require__(27106);
// EXTERNAL MODULE: ./src/workdir/sync.ts
var sync = __webpack_require__(50765);
;// CONCATENATED MODULE: ./src/terraform/code-fingerprint.ts
/**
 * The code a plan was made from: every file of the component's folder and of the local modules it
 * calls (module blocks whose `source` is a relative path, `./…` or `../…`, followed from module to
 * module), each with its SHA-256, by path relative to the base path. Apply compares this with the
 * checkout it runs in and names each file that differs: a reviewed plan applied to other code is
 * not the reviewed change.
 *
 * What is left out is what the workdir sync leaves out (terraform's data dir, local state, the lock
 * files, which are compared on their own) and `.git`. A relative module source that leads outside
 * the repository is not followed (its `source` line is part of the hashed `.tf` file all the same).
 * Registry and git module sources are named, with their version or ref, in the hashed `.tf` files.
 */





/** At most this many files per folder tree: a component is a few dozen; a repository root by mistake is refused. */
const MAX_FILES = 20_000;
/** The repository holding `basePath`: the nearest folder above it with `.git`, else the base path itself. */
function repositoryRoot(basePath) {
    for (let dir = external_node_path_default().resolve(basePath);; dir = external_node_path_default().dirname(dir)) {
        if (external_node_fs_default().existsSync(external_node_path_default().join(dir, '.git')))
            return dir;
        if (external_node_path_default().dirname(dir) === dir)
            return external_node_path_default().resolve(basePath);
    }
}
/** Relative module sources in one folder's `.tf` and `.tf.json` files (not its sub-folders: a module is one folder). */
function localModuleSources(dir) {
    const out = [];
    let names;
    try {
        names = external_node_fs_default().readdirSync(dir);
    }
    catch {
        return out;
    }
    for (const name of names.sort()) {
        const file = external_node_path_default().join(dir, name);
        if (!external_node_fs_default().statSync(file, { throwIfNoEntry: false })?.isFile())
            continue;
        if (name.endsWith('.tf'))
            out.push(...hclModuleSources(external_node_fs_default().readFileSync(file, 'utf8')));
        else if (name.endsWith('.tf.json'))
            out.push(...jsonModuleSources(external_node_fs_default().readFileSync(file, 'utf8')));
    }
    return out.filter((s) => /^\.\.?(\/|$)/.test(s));
}
/** `source = "…"` at the top level of each `module "name" { … }` block. Comments and strings are skipped when counting braces. */
function hclModuleSources(text) {
    const code = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:"])(#|\/\/).*$/gm, '$1');
    const out = [];
    for (const m of code.matchAll(/(?:^|\n)\s*module\s+"[^"\n]*"\s*\{/g)) {
        let depth = 1;
        let i = m.index + m[0].length;
        const start = i;
        let inString = false;
        for (; i < code.length && depth > 0; i++) {
            const c = code[i];
            if (inString) {
                if (c === '\\')
                    i++;
                else if (c === '"')
                    inString = false;
            }
            else if (c === '"')
                inString = true;
            else if (c === '{')
                depth++;
            else if (c === '}')
                depth--;
        }
        const body = code.slice(start, i - 1);
        // Only depth-1 lines: drop nested blocks before looking.
        const flat = body.replace(/\{[^{}]*\}/g, '{}');
        const src = /(?:^|\n)\s*source\s*=\s*"([^"\n]*)"/.exec(flat);
        if (src)
            out.push(src[1]);
    }
    return out;
}
function jsonModuleSources(text) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        return [];
    }
    const modules = parsed?.module;
    const blocks = Array.isArray(modules) ? modules : [modules];
    const out = [];
    for (const block of blocks) {
        if (!block || typeof block !== 'object')
            continue;
        for (const def of Object.values(block)) {
            for (const one of Array.isArray(def) ? def : [def]) {
                const src = one?.source;
                if (typeof src === 'string')
                    out.push(src);
            }
        }
    }
    return out;
}
/** Every file under `dir` the sync would copy, hashed, keyed relative to `basePath`. */
function folderFiles(dir, basePath) {
    const files = {};
    let count = 0;
    const seen = new Set();
    const visit = (abs, rel) => {
        const real = external_node_fs_default().realpathSync(abs);
        if (seen.has(real))
            return; // a link back up the tree
        seen.add(real);
        for (const d of external_node_fs_default().readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
            const childRel = rel ? `${rel}/${d.name}` : d.name;
            const child = external_node_path_default().join(abs, d.name);
            const st = external_node_fs_default().statSync(child, { throwIfNoEntry: false });
            if (!st)
                continue; // a dangling link
            if (st.isDirectory()) {
                if (!(0,sync/* isExcludedDir */.g6)(d.name) && d.name !== '.git')
                    visit(child, childRel);
                continue;
            }
            if (!st.isFile() || (0,sync/* isExcludedFile */.VA)(childRel))
                continue;
            if (++count > MAX_FILES)
                throw new util_errors/* AtmosError */.f7(`${dir} holds more than ${MAX_FILES} files: is it really a terraform module?`, { file: dir });
            files[external_node_path_default().relative(basePath, child).split((external_node_path_default()).sep).join('/')] = (0,hash/* sha256Text */.f1)(external_node_fs_default().readFileSync(child));
        }
        seen.delete(real);
    };
    visit(dir, '');
    return files;
}
/**
 * The files of the component folder and of every local module it calls, recursively, within
 * `repoRoot`. `cache` keeps folders hashed earlier in the same run.
 */
function codeFingerprint(componentPath, o) {
    const inRepo = (abs) => {
        const rel = external_node_path_default().relative(o.repoRoot, abs);
        return rel === '' || (!rel.startsWith('..') && !external_node_path_default().isAbsolute(rel));
    };
    const out = {};
    const done = new Set();
    const todo = [external_node_path_default().resolve(componentPath)];
    while (todo.length) {
        const dir = todo.pop();
        if (done.has(dir))
            continue;
        done.add(dir);
        if (!external_node_fs_default().statSync(dir, { throwIfNoEntry: false })?.isDirectory())
            continue;
        let files = o.cache?.get(dir);
        if (!files) {
            files = folderFiles(dir, o.basePath);
            o.cache?.set(dir, files);
        }
        Object.assign(out, files);
        for (const src of localModuleSources(dir)) {
            const target = external_node_path_default().resolve(dir, src);
            if (inRepo(target))
                todo.push(target);
        }
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// EXTERNAL MODULE: ./src/util/safe-path.ts
var safe_path = __webpack_require__(35251);
// EXTERNAL MODULE: ./src/terraform/generate-section.ts + 1 modules
var generate_section = __webpack_require__(48876);
;// CONCATENATED MODULE: ./src/terraform/generate.ts
/**
 * The files Atmos generates next to a root module before terraform runs: the varfile,
 * `backend.tf.json`, the `generate:` section's files (generate-section.ts) and
 * `providers_override.tf.json`, with Atmos's names and shapes. Building
 * them is pure; `writeGeneratedFiles` puts them into a workdir (never into the shared source folder).
 */






const BACKEND_FILE = 'backend.tf.json';
const PROVIDERS_OVERRIDE_FILE = 'providers_override.tf.json';
function isMap(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/**
 * Atmos's JSON (Go `json.MarshalIndent` over sorted maps): keys sorted, two-space indent, `<`, `>`
 * and `&` escaped, a trailing newline. Matching it byte for byte keeps files identical whichever
 * tool wrote them, so switching between Atmos and atmos-action never shows a spurious diff.
 */
function atmosJson(value) {
    return `${(0,generate_section/* goJson */.Pl)(value)}\n`;
}
/** `{"terraform":{"backend":{"<type>":{…}}}}`; `cloud` is a top-level block with `{terraform_workspace}` filled in. */
function backendConfig(instance) {
    const type = instance.backendType;
    if (!type) {
        throw new util_errors/* AtmosError */.f7(`component ${instance.component} in stack ${instance.stack}: auto_generate_backend_file is on but backend_type is empty; ` +
            'set backend_type (e.g. under terraform: in the stack) or turn auto_generate_backend_file off');
    }
    if (type === 'cloud') {
        const filled = JSON.parse(JSON.stringify(instance.backend).replace(/\{terraform_workspace\}/g, escapeForJsonString(instance.workspace)));
        return { terraform: { cloud: filled } };
    }
    return { terraform: { backend: { [type]: instance.backend } } };
}
function escapeForJsonString(s) {
    return JSON.stringify(s).slice(1, -1);
}
/**
 * `{"provider": …}` where dotted keys become aliases: `{"aws":{…},"aws.use1":{…}}` →
 * `{"provider":{"aws":[{…base…},{"alias":"use1",…}]}}`, base first, then aliases sorted by key.
 */
function providersOverride(providers) {
    const byName = new Map();
    for (const key of Object.keys(providers)) {
        const dot = key.indexOf('.');
        const name = dot < 0 ? key : key.slice(0, dot);
        const entry = byName.get(name) ?? { aliases: [] };
        byName.set(name, entry);
        if (dot < 0)
            entry.base = providers[key];
        else
            entry.aliases.push([key, isMap(providers[key]) ? providers[key] : {}]);
    }
    const out = {};
    for (const [name, { base, aliases }] of byName) {
        if (aliases.length === 0) {
            out[name] = base;
            continue;
        }
        const list = base === undefined ? [] : [base];
        for (const [key, body] of aliases.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
            list.push({ alias: key.slice(key.indexOf('.') + 1), ...body });
        }
        out[name] = list;
    }
    return { provider: out };
}
/** Every file Atmos would generate for this instance, in the order it writes them. */
function generatedFiles(instance, opts) {
    const files = [{ name: instance.varfileName, content: atmosJson(instance.vars), mode: 0o644, kind: 'varfile' }];
    if (opts.autoGenerateBackendFile) {
        files.push({ name: BACKEND_FILE, content: atmosJson(backendConfig(instance)), mode: 0o600, kind: 'backend' });
    }
    if (opts.autoGenerateFiles) {
        for (const f of (0,generate_section/* generateSectionFiles */.YX)(instance))
            files.push({ ...f, mode: 0o644, kind: 'generate' });
    }
    if (Object.keys(instance.providers).length > 0) {
        files.push({ name: PROVIDERS_OVERRIDE_FILE, content: atmosJson(providersOverride(instance.providers)), mode: 0o600, kind: 'providers' });
    }
    return files;
}
/**
 * Writes the files into `workdir` atomically (temp + rename), so a concurrent reader sees the old
 * file or the new one, never half. Names go through the path sanitiser: a stack name with `..`
 * cannot place a varfile outside the workdir.
 */
async function writeGeneratedFiles(workdir, files) {
    const written = [];
    for (const f of files) {
        const abs = (0,safe_path/* safeJoin */.g)(workdir, f.name, 'generated file name');
        let before;
        try {
            before = await external_node_fs_default().promises.readFile(abs, 'utf8');
        }
        catch {
            before = undefined;
        }
        await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(abs), { recursive: true });
        await (0,atomic_fs/* atomicWriteFile */.R)(abs, f.content, f.mode);
        // writeFile's mode is filtered by the umask; Atmos's modes are part of the contract (0600 keeps backend secrets private).
        await external_node_fs_default().promises.chmod(abs, f.mode);
        written.push({ name: f.name, path: abs, kind: f.kind, changed: before !== f.content });
    }
    return written;
}

// EXTERNAL MODULE: ./src/util/canonical-json.ts
var canonical_json = __webpack_require__(71989);
// EXTERNAL MODULE: ./src/workdir/lock-seed.ts
var lock_seed = __webpack_require__(65615);
// EXTERNAL MODULE: ./src/config/tool.ts
var tool = __webpack_require__(29090);
;// CONCATENATED MODULE: ./src/providers/layout.ts
/**
 * Where provider packages live on disk, and the CI cache key of the provider store. Pure: no
 * filesystem access. Every path is built from parts validated here (and joined through safeJoin),
 * because provider addresses and versions come from lock files in the user's repository.
 *
 * Layouts are terraform's own (the same as its plugin cache and `filesystem_mirror`):
 *   unpacked  <base>/<host>/<namespace>/<type>/<version>/<os>_<arch>/
 *   packed    <base>/<host>/<namespace>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip
 */




// Terraform's rules: namespace and type are letters, digits and dashes (not leading or trailing),
// compared case-insensitively and written in lowercase. Hostnames are lowercase DNS names.
const PART = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;
const VERSION = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const PLATFORM = /^[a-z0-9]+_[a-z0-9]+$/;
/**
 * Parses a fully qualified provider source address `host/namespace/type`. With `normalised`
 * (the default), refuses addresses not already written in terraform's normal (lowercase) form, as
 * terraform does for lock files; otherwise lowercases them.
 */
function parseProviderAddress(source, opts = {}) {
    const parts = source.split('/');
    if (parts.length !== 3) {
        throw new util_errors/* AtmosError */.f7(`provider address ${JSON.stringify(source)} must be fully qualified: <hostname>/<namespace>/<type>`);
    }
    const lower = source.toLowerCase();
    if (opts.normalised !== false && lower !== source) {
        throw new util_errors/* AtmosError */.f7(`provider address ${JSON.stringify(source)} is not in normal form; write it as ${JSON.stringify(lower)}`);
    }
    const [host, namespace, type] = lower.split('/');
    if (!HOST.test(host))
        throw new util_errors/* AtmosError */.f7(`provider address ${JSON.stringify(source)}: ${JSON.stringify(host)} is not a valid hostname`);
    for (const [what, v] of [
        ['namespace', namespace],
        ['type', type],
    ]) {
        if (!PART.test(v)) {
            throw new util_errors/* AtmosError */.f7(`provider address ${JSON.stringify(source)}: the ${what} ${JSON.stringify(v)} must be letters, digits and dashes`);
        }
    }
    return { host, namespace, type };
}
function formatProviderAddress(a) {
    return `${a.host}/${a.namespace}/${a.type}`;
}
/** Refuses anything but an exact semantic version (what lock files record). */
function checkProviderVersion(version) {
    if (!VERSION.test(version))
        throw new util_errors/* AtmosError */.f7(`provider version ${JSON.stringify(version)} is not an exact version such as "1.2.3"`);
    return version;
}
function checkPlatform(platform) {
    if (!PLATFORM.test(platform))
        throw new util_errors/* AtmosError */.f7(`platform ${JSON.stringify(platform)} is not of the form <os>_<arch>`);
    return platform;
}
/** Terraform's platform name (`linux_amd64`) for Node's `process.platform`/`process.arch`. */
function terraformPlatform(nodePlatform, nodeArch) {
    const os = nodePlatform === 'win32' ? 'windows' : nodePlatform;
    const arch = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm' }[nodeArch] ?? nodeArch;
    return checkPlatform(`${os}_${arch}`);
}
function addressDir(base, a) {
    // Re-validate: a ProviderAddress may have been built by hand rather than parsed.
    const checked = parseProviderAddress(formatProviderAddress(a));
    return (0,safe_path/* safeJoin */.g)(base, formatProviderAddress(checked), 'provider address');
}
/** `<base>/<host>/<ns>/<type>/<version>/<os>_<arch>`: one unpacked package. */
function unpackedPackageDir(base, a, version, platform) {
    return external_node_path_default().join(addressDir(base, a), checkProviderVersion(version), checkPlatform(platform));
}
/** `<base>/<host>/<ns>/<type>/terraform-provider-<type>_<version>_<os>_<arch>.zip`: one packed package. */
function packedPackageFile(base, a, version, platform) {
    return path.join(addressDir(base, a), `terraform-provider-${a.type}_${checkProviderVersion(version)}_${checkPlatform(platform)}.zip`);
}
const KEY_PART = /^[A-Za-z0-9._]+(?:-[A-Za-z0-9._]+)*$/;
/**
 * The key under which the store is saved to and restored from the CI cache. The hash covers the
 * lock files' contents in path order (sorted bytewise, so the key does not depend on how the
 * files were found): sha256 over the concatenated sha256 digests of each file, as GitHub's
 * `hashFiles` does. Paths themselves are not hashed: renaming an instance changes no provider.
 * Keys must not contain commas (the cache service splits on them) and stay far below its 512 limit.
 */
function storeCacheKey(input) {
    for (const [what, v] of [
        ['prefix', input.prefix],
        ['os', input.os],
        ['arch', input.arch],
    ]) {
        if (!KEY_PART.test(v) || v.length > 100) {
            throw new util_errors/* AtmosError */.f7(`provider cache ${what} ${JSON.stringify(v)} must be letters, digits, ".", "_" and single dashes (at most 100)`);
        }
    }
    if (input.tool !== 'terraform' && input.tool !== 'tofu')
        throw new util_errors/* AtmosError */.f7(`unknown tool ${JSON.stringify(input.tool)}`);
    const sorted = [...input.lockFiles].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path)));
    const all = (0,external_node_crypto_.createHash)('sha256');
    for (const f of sorted)
        all.update((0,external_node_crypto_.createHash)('sha256').update(f.content).digest());
    const restorePrefix = `${input.prefix}-${input.tool}-${input.os}-${input.arch}-`;
    return { key: `${restorePrefix}${all.digest('hex')}`, restorePrefix };
}

;// CONCATENATED MODULE: ./src/providers/targets.ts
/**
 * Which lock file decides an instance's providers, known before its workdir is provisioned: the
 * committed per-instance lock file, else the component's committed `.terraform.lock.hcl` (what
 * provisioning seeds the workdir with), else the lock file a previous init left in the workdir.
 * None: the instance's providers are only known after its init.
 */



function existing(file) {
    try {
        return external_node_fs_default().statSync(file).isFile() ? file : null;
    }
    catch {
        return null; // ENOENT, and ENAMETOOLONG for a per-instance name past the limit
    }
}
function providerTarget(instance, workdir) {
    const lockFile = existing(external_node_path_default().join(instance.componentPath, (0,lock_seed/* instanceLockFileName */.UJ)(instance.stack, instance.component))) ??
        existing(external_node_path_default().join(instance.componentPath, lock_seed/* CANONICAL_LOCK */.Dn)) ??
        existing(external_node_path_default().join(workdir, lock_seed/* CANONICAL_LOCK */.Dn));
    return { workdir, lockFile };
}
/** For workdirs that already exist: their own lock files. */
function workdirTargets(workdirs) {
    return workdirs.map((workdir) => ({ workdir, lockFile: existing(path.join(workdir, CANONICAL_LOCK)) }));
}

;// CONCATENATED MODULE: ./src/app/provider-cache.ts
/**
 * The provider store across CI runs: restore it from the cache port before a run, save it after.
 * Key `<prefix>-<terraform|tofu>-<os>-<arch>-<sha256 of the lock files, sorted by path>`, restore
 * key the same without the hash (the newest store of this tool and platform: most packages are
 * usually still the same). Saved only when the exact key missed and the store gained or lost
 * packages, so a warm run uploads nothing. Cache trouble is a warning, never a failure: the store
 * then just fills itself.
 */







const DEFAULT_PROVIDER_CACHE_PREFIX = 'atmos-action-providers';
/**
 * The settings for one run's selection, as the runner will see it: the store's location
 * (EnvSettings.providerStore), the lock files `providerTarget` finds for each selected deployable instance, the
 * tool most of them run. The entry point calls this, restores, runs, then saves.
 */
function providerCacheSettingsFor(project, run) {
    const config = project.config;
    const instances = (0,graph_select/* selectedInstances */.aI)(project, run.target);
    const lockFiles = instances
        .map((i) => providerTarget(i, (0,paths/* buildWorkdirPath */.Sb)(config.basePath, i.stack, i.component)).lockFile)
        .filter((f) => f !== null);
    const tools = instances.map((i) => (0,tool/* toolOf */.w)(i.command || 'terraform'));
    return {
        storeRoot: run.storeRoot,
        lockFiles,
        basePath: config.basePath,
        tool: tools.filter((x) => x === 'tofu').length > tools.length / 2 ? 'tofu' : 'terraform',
        platform: terraformPlatform(process.platform, process.arch),
        prefix: run.prefix,
    };
}
/**
 * The cache paths: the packages only. Sentinels stay local on purpose: a package that comes from
 * a cache is hashed once by the next run before anything uses it, so a tampered cache entry can
 * never pass as verified. Locks, scratch space and generated configs belong to one machine.
 */
function providerCachePaths(storeRoot) {
    return [(0,paths/* providerStorePaths */.nS)(storeRoot).packages];
}
function providerStoreKey(s) {
    const lockFiles = [...new Set(s.lockFiles)]
        .filter((f) => external_node_fs_default().existsSync(f))
        .map((f) => ({ path: external_node_path_default().relative(s.basePath, f).split((external_node_path_default()).sep).join('/'), content: external_node_fs_default().readFileSync(f) }));
    const [os, arch] = s.platform.split('_');
    return storeCacheKey({ prefix: s.prefix ?? DEFAULT_PROVIDER_CACHE_PREFIX, tool: s.tool, os, arch, lockFiles });
}
/** The packages the store holds (`<host>/<ns>/<type>/<version>/<os>_<arch>`), one per line. */
function storeContents(storeRoot) {
    let level = [''];
    for (let depth = 0; depth < 5; depth++) {
        level = level.flatMap((rel) => {
            try {
                const abs = external_node_path_default().join((0,paths/* providerStorePaths */.nS)(storeRoot).packages, rel);
                return external_node_fs_default().readdirSync(abs, { withFileTypes: true })
                    .filter((d) => d.isDirectory())
                    .map((d) => (rel ? `${rel}/${d.name}` : d.name));
            }
            catch {
                return [];
            }
        });
    }
    return level.sort().join('\n');
}
async function restoreProviderStore(s, ports) {
    const { key, restorePrefix } = providerStoreKey(s);
    let hit = 'miss';
    try {
        const r = await ports.cache.restore(providerCachePaths(s.storeRoot), key, [restorePrefix]);
        hit = r.hit;
        if (r.hit === 'miss' && r.reason)
            ports.log.warn(`provider store not restored from the ${ports.cache.kind} cache (${r.reason}); providers are installed instead`);
        else if (r.hit !== 'miss')
            ports.log.info(`provider store restored from the ${ports.cache.kind} cache (${r.hit} hit: ${r.key})`);
    }
    catch (e) {
        ports.log.warn(`provider store not restored from the ${ports.cache.kind} cache (${e.message}); providers are installed instead`);
    }
    return { key, restorePrefix, hit, contents: storeContents(s.storeRoot) };
}
async function saveProviderStore(s, restored, ports) {
    if (restored.hit === 'exact')
        return 'exact-hit';
    if (storeContents(s.storeRoot) === restored.contents)
        return 'unchanged';
    try {
        const r = await ports.cache.save(providerCachePaths(s.storeRoot), restored.key);
        if (r.status === 'skipped')
            ports.log.warn(`provider store not saved to the ${ports.cache.kind} cache (${r.reason ?? 'unknown reason'})`);
        else if (r.status === 'saved')
            ports.log.info(`provider store saved to the ${ports.cache.kind} cache as ${restored.key}`);
        return r.status;
    }
    catch (e) {
        ports.log.warn(`provider store not saved to the ${ports.cache.kind} cache (${e.message})`);
        return 'skipped';
    }
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(48161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./src/graph/credentials.ts
var graph_credentials = __webpack_require__(78646);
// EXTERNAL MODULE: ./src/graph/instance-graph.ts
var instance_graph = __webpack_require__(9896);
// EXTERNAL MODULE: ./src/graph/schedule.ts
var schedule = __webpack_require__(84407);
// EXTERNAL MODULE: ./src/ports/log.ts
var log = __webpack_require__(69702);
;// CONCATENATED MODULE: ./src/terraform/state-dump.ts
/**
 * When terraform cannot save state (backend down, disk full) and cannot write `errored.tfstate`
 * either, its last resort is to print the whole state, as JSON, to its output: every value,
 * sensitive ones included. Relayed as is, that lands in a CI log readable by everyone with read
 * access to the repository. The catcher below recognises the dump in terraform's lines (a line `{`
 * followed by `  "version": N,`, up to the closing `}` at the start of a line) and holds it back;
 * the caller writes it to a file only the user can read and names the file in the log.
 */


/** One per stream: lines of stdout and stderr must not be mixed while looking for a dump. */
function stateDumpCatcher() {
    let state = 'idle';
    let held = [];
    const dumps = [];
    const feed = (line) => {
        if (state === 'dump') {
            held.push(line);
            if (line === '}') {
                dumps.push(held.join('\n'));
                held = [];
                state = 'idle';
            }
            return [];
        }
        if (state === 'maybe') {
            if (/^ {2}"version": \d+,$/.test(line)) {
                held.push(line);
                state = 'dump';
                return [];
            }
            state = 'idle';
            const before = held;
            held = [];
            return [...before, ...feed(line)];
        }
        if (line === '{') {
            held = [line];
            state = 'maybe';
            return [];
        }
        return [line];
    };
    return {
        feed,
        flush() {
            if (state === 'dump') {
                // Cut short (terraform killed mid-dump): still state, still secret.
                dumps.push(held.join('\n'));
                held = [];
                state = 'idle';
                return [];
            }
            const rest = held;
            held = [];
            state = 'idle';
            return rest;
        },
        dumps: () => dumps,
    };
}
/**
 * Writes a held dump to the first place that takes it, mode 0600: `candidates` in order (the
 * workdir's `errored.tfstate` when absent, so terraform's own advice `terraform state push
 * errored.tfstate` holds; then a file in the temp folder, likely on another disk when the workdir's
 * is full). Returns the file, or the reasons none could be written.
 */
async function saveStateDump(dump, candidates) {
    const errors = [];
    for (const file of candidates) {
        if (external_node_fs_default().existsSync(file)) {
            errors.push(`${file}: exists`);
            continue;
        }
        try {
            await (0,atomic_fs/* atomicWriteFile */.R)(file, `${dump}\n`, 0o600);
            return { file };
        }
        catch (e) {
            errors.push(`${file}: ${e.message}`);
        }
    }
    return { errors };
}

;// CONCATENATED MODULE: ./src/terraform/process.ts






/** The binary could not be started: absent from PATH, or not executable. */
class TerraformNotFoundError extends util_errors/* AtmosError */.f7 {
    command;
    constructor(command, where, cause) {
        const code = cause?.code;
        const what = code === 'EACCES' ? `is not executable` : command.includes('/') ? 'does not exist' : 'was not found on PATH';
        super(`${where}: the terraform command ${JSON.stringify(command)} ${what}. Install terraform (or OpenTofu), or name the binary ` +
            'with `command:` on the component (e.g. `command: tofu` or an absolute path) or `components.terraform.command` in atmos.yaml', { cause });
        this.name = 'TerraformNotFoundError';
        this.command = command;
    }
}
/** `log` is the instance's own log: with several instances at once, the caller tells their lines apart. */
function terraformProcess(exec, log, o) {
    const relay = (line) => log.info(line);
    return {
        async run(args, opts = {}) {
            log.debug(`$ ${o.command} ${args.join(' ')}`);
            const catchers = { stdout: stateDumpCatcher(), stderr: stateDumpCatcher() };
            let r;
            try {
                r = await exec.run(o.command, args, {
                    cwd: o.cwd,
                    env: o.env,
                    signal: o.signal,
                    forceSignal: o.forceSignal,
                    // `show -json` (quiet) only reads: its output is needed whole and holds every value, so it stays on a pipe.
                    outputDir: opts.quiet ? undefined : o.outputDir,
                    // stderr is relayed as info while the command runs: whether it failed is only known at exit,
                    // and the failure itself is reported once, in the result.
                    onLine: (stream, line) => {
                        if (stream === 'stdout' && opts.quiet)
                            return;
                        for (const l of catchers[stream].feed(line))
                            relay(l);
                    },
                });
            }
            catch (e) {
                const code = e?.code;
                if (code === 'ENOENT' || code === 'EACCES')
                    throw new TerraformNotFoundError(o.command, o.where, e);
                throw e;
            }
            for (const c of Object.values(catchers))
                c.flush().forEach(relay);
            for (const dump of [...catchers.stdout.dumps(), ...catchers.stderr.dumps()])
                await keepDump(dump, o, log);
            return r;
        },
    };
}
async function keepDump(dump, o, log) {
    const saved = await saveStateDump(dump, o.stateDumpFiles?.() ?? []);
    if ('file' in saved) {
        log.error(`terraform could not save its state and printed it instead (every value, sensitive ones too): it is in ${saved.file} ` +
            `(mode 0600), not in this log. Keep that file: push it with "terraform state push ${saved.file}" from the workdir once the backend works again`);
    }
    else {
        log.error(`terraform could not save its state and printed it instead; it is kept out of this log, but could not be written to a file ` +
            `either (${saved.errors.join('; ')}): the resources this run created are not in any state, import them or free the disk and apply again`);
    }
}
/**
 * The output a terraform of an earlier run left in the output folder because atmos-action was
 * killed while it ran (terraform went on to its end): relayed now, under a line that says so, with
 * any state dump kept out of the log as always, then removed. A terraform still running is only named.
 */
async function relayInterruptedOutput(log, o) {
    if (!o.outputDir || !external_node_fs_default().existsSync(o.outputDir))
        return;
    for (const name of external_node_fs_default().readdirSync(o.outputDir).sort()) {
        const owner = (0,paths/* terraformOutputOwner */.hC)(name);
        if (!owner)
            continue;
        const file = external_node_path_default().join(o.outputDir, name);
        if ((0,lock/* processAlive */.FN)(owner.pid)) {
            if (owner.kind === 'terraform' && name.endsWith('.out')) {
                log.warn(`terraform (pid ${owner.pid}) of an earlier run that atmos-action did not see to its end is still running in this workdir; its output: ${file}`);
            }
            continue;
        }
        if (owner.kind === 'terraform') {
            const catcher = stateDumpCatcher();
            const lines = external_node_fs_default().readFileSync(file, 'utf8').split('\n');
            if (lines.at(-1) === '')
                lines.pop();
            if (lines.length) {
                log.info(`output of terraform (pid ${owner.pid}, ${name.endsWith('.err') ? 'stderr' : 'stdout'}) from an earlier run; atmos-action was stopped before it ended:`);
                for (const l of [...lines.flatMap((x) => catcher.feed(x)), ...catcher.flush()])
                    log.info(l);
                for (const dump of catcher.dumps())
                    await keepDump(dump, o, log);
            }
        }
        external_node_fs_default().rmSync(file, { force: true });
    }
}
/** The lines terraform prints after `Error:`, condensed into one sentence for a results table. */
function terraformError(r, step) {
    const text = `${r.stderr}\n${r.stdout}`;
    const errors = text
        .split('\n')
        .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
        .filter((l) => l.startsWith('Error:'))
        .map((l) => l.slice('Error:'.length).trim());
    const detail = errors.length > 0 ? errors.join('; ') : r.signal ? `stopped by ${r.signal}` : `exit code ${r.code}`;
    return `${step} failed: ${detail}`;
}

;// CONCATENATED MODULE: ./src/terraform/binary.ts
/**
 * Is the terraform command there? Checked once before a run starts, by looking it up on PATH the
 * way a shell would, without starting it: a missing binary is one clear error up front instead of
 * one failure per instance.
 */



function executable(file) {
    try {
        if (!external_node_fs_default().statSync(file).isFile())
            return 'ENOENT';
        external_node_fs_default().accessSync(file, (external_node_fs_default()).constants.X_OK);
        return 'ok';
    }
    catch (e) {
        return e.code === 'EACCES' ? 'EACCES' : 'ENOENT';
    }
}
/** The absolute path `command` runs, or a TerraformNotFoundError naming it and how to set another. */
function findTerraform(command, env, cwd, where) {
    const fail = (code) => {
        const cause = Object.assign(new Error(`${command}: ${code}`), { code });
        return new TerraformNotFoundError(command, where, cause);
    };
    if (command.includes('/')) {
        const abs = external_node_path_default().resolve(cwd, command);
        const r = executable(abs);
        if (r !== 'ok')
            throw fail(r);
        return abs;
    }
    let denied = false;
    for (const dir of (env.PATH ?? '').split((external_node_path_default()).delimiter)) {
        if (!dir)
            continue;
        const candidate = external_node_path_default().join(dir, command);
        const r = executable(candidate);
        if (r === 'ok')
            return candidate;
        if (r === 'EACCES')
            denied = true;
    }
    throw fail(denied ? 'EACCES' : 'ENOENT');
}

// EXTERNAL MODULE: ./src/stacks/instance.ts
var stacks_instance = __webpack_require__(14166);
// EXTERNAL MODULE: ./src/workdir/list.ts
var list = __webpack_require__(94074);
;// CONCATENATED MODULE: ./src/terraform/init-record.ts
/**
 * Whether `init` needs `-reconfigure` because the generated backend changed since the last
 * successful init in this workdir. Without it, terraform stops with "Backend configuration
 * changed" (and `-input=false` leaves it nothing to ask). The record lives in the workdir's
 * `.atmos/` folder, which the workdir sync never touches.
 */





const RECORD_FILE = 'terraform-init.json';
function recordPath(workdir) {
    return external_node_path_default().join((0,paths/* atmosDir */.sr)(workdir), RECORD_FILE);
}
function backendHash(backendFile) {
    if (!backendFile)
        return null;
    try {
        return (0,hash/* sha256Text */.f1)(external_node_fs_default().readFileSync(backendFile));
    }
    catch {
        return null;
    }
}
/** True when this workdir has never been initialised by us, or its generated backend differs from the last init's. */
function initNeedsReconfigure(workdir, backendFile) {
    try {
        const rec = JSON.parse(external_node_fs_default().readFileSync(recordPath(workdir), 'utf8'));
        return rec.backend_sha256 !== backendHash(backendFile);
    }
    catch {
        return true;
    }
}
/** Called after a successful init. */
async function recordInit(workdir, backendFile) {
    await external_node_fs_default().promises.mkdir((0,paths/* atmosDir */.sr)(workdir), { recursive: true });
    await (0,atomic_fs/* atomicWriteFile */.R)(recordPath(workdir), `${JSON.stringify({ backend_sha256: backendHash(backendFile) })}\n`);
}

;// CONCATENATED MODULE: ./src/terraform/plan-result.ts
/**
 * `terraform show -json <planfile>` → what a plan would do, by address. The result holds addresses,
 * actions and counts only, never an attribute or output value: the JSON plan carries sensitive
 * values in clear text, and nothing read from it may reach a log, a PR comment or a stored result.
 */

const isStr = (v) => typeof v === 'string';
/** Terraform's action list for one resource → one action (replace = delete+create in either order; no-op and read are not changes). */
function resourceAction(actions) {
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
            throw new util_errors/* AtmosError */.f7(`terraform plan JSON has an unknown action list [${actions.join(', ')}]`);
    }
}
function outputAction(actions) {
    const key = [...actions].sort().join(',');
    if (key === 'create' || key === 'update' || key === 'delete')
        return key;
    if (key === 'create,delete')
        return 'update';
    return undefined;
}
/** Parses the JSON text terraform prints for `show -json <planfile>`. */
function parsePlanJson(text) {
    let doc;
    try {
        doc = JSON.parse(text);
    }
    catch (e) {
        // Never echo the text: it is the plan, values included.
        throw new util_errors/* AtmosError */.f7(`terraform show -json printed something that is not JSON (${e.message})`);
    }
    if (typeof doc !== 'object' || doc === null || !('format_version' in doc)) {
        throw new util_errors/* AtmosError */.f7('terraform show -json did not print a plan (no format_version)');
    }
    const r = {
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
    const lists = {
        create: r.add,
        update: r.change,
        delete: r.destroy,
        replace: r.replace,
        forget: r.forget,
    };
    for (const rc of (Array.isArray(doc.resource_changes) ? doc.resource_changes : [])) {
        if (!isStr(rc.address))
            continue;
        const actions = Array.isArray(rc.change?.actions) ? rc.change.actions.filter(isStr) : [];
        const action = resourceAction(actions);
        if (action !== 'no-op' && action !== 'read')
            lists[action].push(rc.address);
        if (rc.change?.importing !== undefined && rc.change.importing !== null)
            r.import.push(rc.address);
        if (isStr(rc.previous_address) && rc.previous_address !== rc.address)
            r.moved.push({ from: rc.previous_address, to: rc.address });
    }
    const outputs = doc.output_changes;
    if (typeof outputs === 'object' && outputs !== null) {
        for (const [name, oc] of Object.entries(outputs)) {
            const actions = Array.isArray(oc?.actions) ? oc.actions.filter(isStr) : [];
            const action = outputAction(actions);
            if (action)
                r.outputs.push({ name, action, sensitive: oc.before_sensitive === true || oc.after_sensitive === true });
        }
    }
    for (const list of [r.add, r.change, r.destroy, r.replace, r.forget, r.import])
        list.sort();
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
function summarizePlan(p) {
    const parts = [`+${p.counts.add}`, `~${p.counts.change}`, `-${p.counts.destroy}`];
    if (p.counts.replace)
        parts.push(`±${p.counts.replace}`);
    if (p.counts.import)
        parts.push(`import ${p.counts.import}`);
    if (p.counts.forget)
        parts.push(`forget ${p.counts.forget}`);
    if (p.counts.moved)
        parts.push(`moved ${p.counts.moved}`);
    if (p.counts.outputs)
        parts.push(`outputs ${p.counts.outputs}`);
    return parts.join(' ');
}

;// CONCATENATED MODULE: ./src/terraform/secret-vars.ts
function splitSecretVars(vars, secrets) {
    if (!secrets || secrets.values().length === 0)
        return { fileVars: vars, env: {} };
    const fileVars = {};
    const env = {};
    for (const [name, value] of Object.entries(vars)) {
        if (secrets.holdsIn(value))
            env[`TF_VAR_${name}`] = typeof value === 'string' ? value : JSON.stringify(value);
        else
            fileVars[name] = value;
    }
    return Object.keys(env).length === 0 ? { fileVars: vars, env } : { fileVars, env };
}

;// CONCATENATED MODULE: ./src/terraform/run-instance.ts
/**
 * One instance, start to finish, inside its already provisioned workdir: guards, generated files,
 * init, workspace, plan, show, and apply or destroy. Returns a structured result instead of
 * throwing for anything terraform reports, so a caller running many instances can carry on.
 */
















/** Why this instance must not run this action, or null. Checked before anything is written. */
function refusal(req) {
    const i = req.instance;
    // Atmos checks enabled before anything else: a disabled instance is a quiet skip, even an abstract one.
    if (!i.enabled)
        return { status: 'skipped', reason: 'disabled (metadata.enabled: false)' };
    if (i.abstract)
        return { status: 'failed', reason: 'abstract component (metadata.type: abstract): never deployed' };
    if (i.locked && req.action !== 'plan') {
        return { status: 'failed', reason: `locked (metadata.locked: true): ${req.action} is refused; plan is allowed` };
    }
    if (i.unsupported.length > 0) {
        const list = i.unsupported.map((u) => `${u.path} = ${u.value}${u.file ? ` (${u.file}${u.line ? `:${u.line}` : ''})` : ''}`).join(', ');
        return { status: 'failed', reason: `uses what atmos-action does not evaluate yet (${list}); running it would pass the raw text to terraform` };
    }
    if (external_node_path_default().resolve(req.workdir) === external_node_path_default().resolve(i.componentPath)) {
        return { status: 'failed', reason: `refusing to run terraform in the shared source folder ${i.componentPath}; run it in the instance's workdir` };
    }
    if (i.backendType === '' || i.backendType === 'local') {
        const state = (0,list/* localState */.jD)(i.componentPath);
        if (state.length > 0) {
            return {
                status: 'failed',
                reason: `the source folder ${i.componentPath} holds local state (${state.join(', ')}); state is never silently forked into a workdir: ` +
                    'move it to a remote backend, or into the workdir yourself, then run again',
            };
        }
    }
    return null;
}
/** Runs one action for one instance. Throws only for programming errors; terraform's failures come back as status 'failed'. */
async function runInstance(req, ports) {
    const started = ports.clock.now().getTime();
    const i = req.instance;
    const result = {
        instance: (0,identity/* instanceKey */.pA)(i),
        stack: i.stack,
        component: i.component,
        action: req.action,
        status: 'failed',
        reason: '',
        durationMs: 0,
        steps: [],
    };
    const finish = (status, reason) => {
        result.status = status;
        result.reason = req.secrets ? req.secrets.scrub(reason) : reason;
        result.durationMs = ports.clock.now().getTime() - started;
        return result;
    };
    const refused = refusal(req);
    if (refused)
        return finish(refused.status, refused.reason);
    if (!external_node_fs_default().existsSync(req.workdir))
        return finish('failed', `the workdir ${req.workdir} does not exist; provision it first`);
    try {
        return await steps(req, req.secrets ? { ...ports, log: (0,log/* maskedLog */.GX)(ports.log, req.secrets) } : ports, result, finish);
    }
    catch (e) {
        if (e instanceof util_errors/* AtmosError */.f7)
            return finish('failed', e.message);
        throw e;
    }
}
async function steps(req, ports, result, finish) {
    const i = req.instance;
    const style = { color: req.color };
    const { env: baseEnv, notes } = terraformEnv({ userEnv: req.env, componentEnv: i.env, parallel: req.parallel ?? false });
    for (const n of notes)
        ports.log.info(n);
    const vars = splitSecretVars(i.vars, req.secrets);
    const env = { ...baseEnv, ...vars.env };
    const written = await writeGeneratedFiles(req.workdir, generatedFiles(vars.fileVars === i.vars ? i : (0,stacks_instance/* withSections */.VU)(i, { vars: vars.fileVars }, {}), {
        autoGenerateBackendFile: req.settings.autoGenerateBackendFile,
        autoGenerateFiles: req.settings.autoGenerateFiles,
    }));
    const backendFile = written.find((w) => w.kind === 'backend');
    const tfOptions = {
        command: i.command || 'terraform',
        cwd: req.workdir,
        env,
        signal: req.signal,
        forceSignal: req.forceSignal,
        where: `component ${i.component} in stack ${i.stack}`,
        outputDir: (0,paths/* terraformOutputDir */.vf)(req.workdir),
        stateDumpFiles: () => (0,paths/* stateDumpFiles */.Rf)(req.workdir, external_node_os_default().tmpdir(), (0,identity/* instanceKey */.pA)(i), ports.clock.now().toISOString().replace(/[:.]/g, '-')),
    };
    await relayInterruptedOutput(ports.log, tfOptions);
    const tf = terraformProcess(ports.exec, ports.log, tfOptions);
    const step = async (name, args, quiet = false) => {
        const t0 = ports.clock.now().getTime();
        // Once cancelled, no further step starts: the step reports the cancellation as its own end.
        const r = req.signal?.aborted ? { code: null, signal: 'SIGTERM', stdout: '', stderr: '' } : await tf.run(args, { quiet });
        result.steps.push({ step: name, ms: ports.clock.now().getTime() - t0, code: r.code, ...(r.signal ? { signal: r.signal } : {}) });
        return r;
    };
    const reconfigure = req.settings.initRunReconfigure || req.reprovisioned || initNeedsReconfigure(req.workdir, backendFile?.path);
    const initRun = () => step('init', initArgs({ ...style, reconfigure, varfile: req.settings.initPassVars ? i.varfileName : undefined }));
    const init = await (req.initGate ? req.initGate(initRun) : initRun());
    if (init.code !== 0)
        return finish('failed', terraformError(init, 'init'));
    await recordInit(req.workdir, backendFile?.path);
    const ws = workspaceStep(i.backendType, i.backend, env);
    if (ws.select) {
        let sel = await step('workspace', workspaceSelectArgs(i.workspace, style));
        if (sel.code !== 0)
            sel = await step('workspace', workspaceNewArgs(i.workspace, style));
        if (sel.code !== 0)
            return finish('failed', terraformError(sel, `workspace ${i.workspace}`));
    }
    if (req.action === 'apply' && req.planfile) {
        const planfile = external_node_path_default().resolve(req.workdir, req.planfile);
        result.planfile = planfile;
        const plan = await show(step, planfile);
        if (typeof plan === 'string')
            return finish('failed', plan);
        result.plan = plan;
        const apply = await step('apply', applyArgs(planfile, style));
        if (apply.code !== 0)
            return finish('failed', terraformError(apply, 'apply'));
        return finish('applied', `applied the saved plan (${summarizePlan(plan)})`);
    }
    const planfile = (0,safe_path/* safeJoin */.g)(req.workdir, i.planfileName, 'planfile name');
    result.planfile = planfile;
    // A failed plan must never leave an older plan behind for a later apply to pick up.
    await external_node_fs_default().promises.rm(planfile, { force: true });
    const destroy = req.action === 'destroy';
    const planRun = await step('plan', planArgs({ ...style, planfile: i.planfileName, varfile: i.varfileName, destroy }));
    if (planRun.code !== 0 && planRun.code !== 2)
        return finish('failed', terraformError(planRun, destroy ? 'plan -destroy' : 'plan'));
    const plan = await show(step, planfile);
    if (typeof plan === 'string')
        return finish('failed', plan);
    result.plan = plan;
    const changes = planRun.code === 2 || plan.hasChanges;
    if (req.action === 'plan')
        return finish(changes ? 'changes' : 'no-changes', changes ? summarizePlan(plan) : 'no changes');
    if (!changes)
        return finish('no-changes', destroy ? 'nothing to destroy' : 'no changes');
    if (req.confirm && !(await req.confirm(plan))) {
        return finish('failed', `not ${destroy ? 'destroyed' : 'applied'}: the answer was not "yes" (the plan stays in ${i.planfileName})`);
    }
    const apply = await step(destroy ? 'destroy' : 'apply', applyArgs(i.planfileName, style));
    if (apply.code !== 0)
        return finish('failed', terraformError(apply, destroy ? 'destroy' : 'apply'));
    // An applied plan is stale; removing it keeps anyone from trying to apply it twice.
    await external_node_fs_default().promises.rm(planfile, { force: true });
    result.planfile = undefined;
    return finish(destroy ? 'destroyed' : 'applied', summarizePlan(plan));
}
/** `show -json` → PlanResult, or the failure sentence. Its stdout holds values and is never logged. */
async function show(step, planfile) {
    if (!external_node_fs_default().existsSync(planfile))
        return `the plan file ${planfile} does not exist`;
    const r = await step('show', showJsonArgs(planfile), true);
    if (r.code !== 0)
        return terraformError(r, 'show');
    return parsePlanJson(r.stdout);
}

// EXTERNAL MODULE: ./src/stacks/deferred.ts
var deferred = __webpack_require__(95062);
// EXTERNAL MODULE: ./src/stacks/functions/args.ts
var args = __webpack_require__(47382);
// EXTERNAL MODULE: ./src/stacks/instance-sections.ts
var instance_sections = __webpack_require__(69975);
// EXTERNAL MODULE: ./src/ports/cloud.ts
var cloud = __webpack_require__(16765);
;// CONCATENATED MODULE: ./src/terraform/state-readers.ts
/**
 * `!terraform.state`: another instance's outputs read from its state, without running terraform
 * where Atmos does not (docs/atmos-compatibility.md §11.6). One reader per backend type:
 * - `local` (or none): the state file in the read instance's workdir;
 * - `s3`: the object through the AWS SDK (the standard credential chain, the backend's `profile`,
 *   static keys, `assume_role` / `role_arn`, `assume_role_with_web_identity`, `endpoints.s3`,
 *   `use_path_style`), at `key` or `<workspace_key_prefix>/<workspace>/<key>`;
 * - `gcs`: `<prefix>/<workspace>.tfstate` through the Cloud Storage client;
 * - `azurerm`: `key` (`<key>env:<workspace>` for a named workspace) through the Blob Storage client;
 * - any other type: `terraform state pull` in the read instance's workdir, made ready to read on
 *   demand where this run did not run it (read-workdir.ts).
 * Each returns the outputs (`name → value`), or null when the instance has no state yet.
 */







const str = (v) => (typeof v === 'string' && v !== '' ? v : undefined);
const map = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const strList = (v) => Array.isArray(v) ? v.filter((x) => typeof x === 'string') : str(v) ? [v] : undefined;
function outputsOfState(text) {
    const state = JSON.parse(text);
    return Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v]) => [k, v.value]));
}
/** Go-style durations in a backend (`1h`, `15m`, `900s`). */
function seconds(v) {
    const m = typeof v === 'string' ? /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v) : null;
    return m && v !== '' ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) || undefined : undefined;
}
/**
 * The AWS access an s3 backend describes, with the read instance's `env` section on top of the
 * process's (its AWS_PROFILE, AWS_REGION, endpoint and credential-file variables), as Atmos reads it.
 */
function s3BackendAccess(b, componentEnv, label) {
    const env = (k) => str(componentEnv[k]);
    const region = str(b.region) ?? env('AWS_REGION') ?? env('AWS_DEFAULT_REGION');
    if (!region)
        throw new util_errors/* InstanceError */.i2(`reading the state of ${label}: its s3 backend has no \`region\``);
    const endpoints = map(b.endpoints);
    const roles = [];
    const web = map(b.assume_role_with_web_identity);
    if (str(web.role_arn)) {
        const token = str(web.web_identity_token)
            ? { value: web.web_identity_token }
            : str(web.web_identity_token_file)
                ? { file: web.web_identity_token_file }
                : undefined;
        if (!token)
            throw new util_errors/* InstanceError */.i2(`reading the state of ${label}: assume_role_with_web_identity needs web_identity_token or web_identity_token_file`);
        roles.push({ kind: 'web-identity', roleArn: web.role_arn, sessionName: str(web.session_name), token });
    }
    const assume = map(b.assume_role);
    const roleArn = str(assume.role_arn) ?? str(b.role_arn);
    if (roleArn) {
        roles.push({
            kind: 'assume',
            roleArn,
            sessionName: str(assume.session_name) ?? str(b.session_name),
            externalId: str(assume.external_id) ?? str(b.external_id),
            durationSeconds: seconds(assume.duration),
        });
    }
    const accessKey = str(b.access_key);
    const secretKey = str(b.secret_key);
    return {
        region,
        endpoint: str(endpoints.s3) ?? str(b.endpoint) ?? env('AWS_ENDPOINT_URL_S3'),
        stsEndpoint: str(endpoints.sts) ?? str(b.sts_endpoint) ?? env('AWS_ENDPOINT_URL_STS'),
        profile: str(b.profile) ?? env('AWS_PROFILE'),
        sharedCredentialsFiles: strList(b.shared_credentials_files) ?? strList(b.shared_credentials_file) ?? strList(env('AWS_SHARED_CREDENTIALS_FILE')),
        sharedConfigFiles: strList(b.shared_config_files) ?? strList(env('AWS_CONFIG_FILE')),
        staticKeys: accessKey && secretKey ? { accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: str(b.token) } : undefined,
        roles,
    };
}
/** Blob host suffixes for the azurerm backend's `environment`. */
const AZURE_BLOB_SUFFIX = {
    public: 'blob.core.windows.net',
    usgovernment: 'blob.core.usgovernmentcloudapi.net',
    china: 'blob.core.chinacloudapi.cn',
    german: 'blob.core.cloudapi.de',
};
/** Where the state object of `target` is, for the backends read through a cloud client; undefined for the others. */
function stateObject(target) {
    const b = target.backend;
    const label = `${target.component} in stack ${target.stack}`;
    const ws = target.workspace && target.workspace !== 'default' ? target.workspace : undefined;
    switch (target.backendType) {
        case 's3': {
            const bucket = str(b.bucket);
            if (!bucket)
                throw new util_errors/* InstanceError */.i2(`reading the state of ${label}: its s3 backend has no \`bucket\``);
            const file = str(b.key) ?? 'terraform.tfstate';
            const key = ws ? `${str(b.workspace_key_prefix) ?? 'env:'}/${ws}/${file}` : file;
            const aws = s3BackendAccess(b, target.env, label);
            return { where: { kind: 's3', aws, bucket, key, pathStyle: b.use_path_style === true || b.force_path_style === true }, shown: `s3://${bucket}/${key}` };
        }
        case 'gcs': {
            const bucket = str(b.bucket);
            if (!bucket)
                throw new util_errors/* InstanceError */.i2(`reading the state of ${label}: its gcs backend has no \`bucket\``);
            const prefix = str(b.prefix);
            const object = `${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}${ws ?? 'default'}.tfstate`;
            return {
                where: { kind: 'gcs', bucket, object, credentials: str(b.credentials), accessToken: str(b.access_token) },
                shown: `gs://${bucket}/${object}`,
            };
        }
        case 'azurerm': {
            const account = str(b.storage_account_name);
            const container = str(b.container_name);
            if (!account || !container)
                throw new util_errors/* InstanceError */.i2(`reading the state of ${label}: its azurerm backend needs \`storage_account_name\` and \`container_name\``);
            const key = str(b.key) ?? 'terraform.tfstate';
            const blob = ws ? `${key}env:${ws}` : key;
            const blobSuffix = AZURE_BLOB_SUFFIX[str(b.environment) ?? 'public'] ?? AZURE_BLOB_SUFFIX.public;
            return {
                where: { kind: 'azurerm', account, container, blob, blobSuffix, accessKey: str(b.access_key), sasToken: str(b.sas_token) },
                shown: `azurerm://${account}/${container}/${blob}`,
            };
        }
        default:
            return undefined;
    }
}
/** The outputs in `target`'s state, or null when it has none yet. Faults name the instance, the object and the SDK's code. */
async function readStateOutputs(target, ctx) {
    const label = (0,identity/* displayName */.QC)(target);
    if (target.backendType === '' || target.backendType === 'local')
        return localStateOutputs(target, await workdirOf(target, ctx), ctx);
    const object = stateObject(target);
    if (!object)
        return pulledStateOutputs(target, ctx);
    if (!ctx.cloud)
        throw new util_errors/* InstanceError */.i2(`reading the state of ${label} from ${object.shown} is not available here`);
    let text;
    try {
        text = await ctx.cloud.readObject(object.where);
    }
    catch (e) {
        const why = e instanceof cloud/* CloudError */.K2 ? `${e.fault.code}: ${e.fault.message}` : e.message;
        throw new util_errors/* InstanceError */.i2(`reading the state of ${target.component} in stack ${target.stack} from ${object.shown} failed (${why})`);
    }
    ctx.log.info(`read the state of ${label} from ${object.shown}${text === null ? ' (not provisioned)' : ''}`);
    return text === null ? null : outputsOfState(text);
}
function workdirOf(target, ctx) {
    return ctx.workdirToRead ? ctx.workdirToRead(target) : Promise.resolve((0,paths/* buildWorkdirPath */.Sb)(ctx.basePath, target.stack, target.component));
}
function localStateOutputs(target, workdir, ctx) {
    const file = str(target.backend.path) ?? 'terraform.tfstate';
    const ws = target.workspace;
    const statePath = ws && ws !== 'default' ? external_node_path_default().join(workdir, 'terraform.tfstate.d', ws, file) : external_node_path_default().join(workdir, file);
    const outputs = external_node_fs_default().existsSync(statePath) ? outputsOfState(external_node_fs_default().readFileSync(statePath, 'utf8')) : null;
    ctx.log.info(`read the state of ${target.component}@${target.stack} from ${external_node_path_default().relative(ctx.basePath, statePath)}${outputs ? '' : ' (not provisioned)'}`);
    return outputs;
}
/** `terraform state pull` in the read instance's workdir, in its workspace; the state is never logged. */
async function pulledStateOutputs(target, ctx) {
    const label = (0,identity/* displayName */.QC)(target);
    const workdir = await workdirOf(target, ctx);
    if (!external_node_fs_default().existsSync(external_node_path_default().join(workdir, '.terraform'))) {
        throw new util_errors/* InstanceError */.i2(`reading the state of ${target.component} in stack ${target.stack} from its ${target.backendType} backend needs \`terraform state pull\` in its workdir, which is not initialised on this machine`);
    }
    const { env } = terraformEnv({ userEnv: ctx.env, componentEnv: target.env, parallel: false });
    if (target.workspace && target.workspace !== 'default')
        env.TF_WORKSPACE = target.workspace;
    const command = target.command || 'terraform';
    const r = await ctx.exec.run(command, ['state', 'pull'], { cwd: workdir, env });
    if (r.code !== 0)
        throw new util_errors/* InstanceError */.i2(`reading the state of ${label} (${command} state pull) failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    const text = r.stdout.trim();
    ctx.log.info(`read the state of ${label} with ${command} state pull${text ? '' : ' (not provisioned)'}`);
    return text ? outputsOfState(text) : null;
}

// EXTERNAL MODULE: ./src/stacks/functions/store.ts
var store = __webpack_require__(74622);
;// CONCATENATED MODULE: ./src/terraform/store-reads.ts



/** The keys the store reads of `instances` name (a read that cannot be addressed fails its instance later). */
function storeKeysOf(instances, values) {
    const keys = [];
    for (const i of instances) {
        for (const { read } of i.reads) {
            if ((0,deferred/* isOutputRead */.a8)(read))
                continue;
            try {
                keys.push((0,store/* storeAddress */.uv)(read, values));
            }
            catch {
                // reported by the instance that holds it, when it runs
            }
        }
    }
    return keys;
}
/** Reads the keys not read yet in this run, and says how many it read in how many calls. */
async function readStoreKeys(values, keys, log) {
    const before = { ...values.stats };
    await values.read(keys);
    const read = values.stats.keys - before.keys;
    if (read > 0)
        log.info(`read ${read} value(s) from stores in ${values.stats.apiCalls - before.apiCalls} call(s)`);
}
/** The failure of one read, naming the instance, where the read is and the function as written. */
function readError(instance, at, read, message) {
    return new util_errors/* InstanceError */.i2(`component ${instance.component} in stack ${instance.stack}: ${at}: ${read.text}: ${message}`);
}
/** The store and key of a read of `instance` at `at`, or the error that fails it. */
function storeKeyAt(instance, at, read, values) {
    if (!values)
        return readError(instance, at, read, 'values from stores are not read by this command');
    try {
        return (0,store/* storeAddress */.uv)(read, values);
    }
    catch (e) {
        return readError(instance, at, read, e.message);
    }
}
/** The value of a read whose key was read (see {@link readStoreKeys}); throws the error that fails the instance. */
function storeValueAt(instance, at, read, key, values) {
    if (key instanceof util_errors/* InstanceError */.i2)
        throw key;
    try {
        return (0,store/* storeReadValue */.T8)(read, key, values);
    }
    catch (e) {
        throw readError(instance, at, read, e.message);
    }
}

;// CONCATENATED MODULE: ./src/terraform/output-references.ts
/**
 * Values read when the reading instance runs (docs/atmos-compatibility.md §11.6, docs/stores.md):
 * the typed reads resolution left in its sections (stacks/deferred.ts).
 * - `!terraform.state` reads the state without running terraform where Atmos does (state-readers.ts:
 *   the workdir's file for local state, the clouds' SDKs for s3, gcs and azurerm, else
 *   `terraform state pull`);
 * - `!terraform.output` and `atmos.Component … .outputs` run `terraform output -json` in the read
 *   instance's workdir. Where this run did not run that instance (a plan leg in its own CI job), the
 *   runner gets its workdir ready to read first (`workdirToRead`: provisioned and initialised,
 *   read-only, read-workdir.ts);
 * - `!store`, `!store.get` and `!secret` find their values among the keys the run read (store-reads.ts).
 * Each instance is read once per run per way (concurrent readers share one read).
 */












/**
 * The instance with the values it reads at run time filled in (only those in `fields` when given:
 * the rest keep their deferred values). Unchanged when it reads none, or when it also uses
 * something else not evaluated (the runner refuses it for that). Every read that fails is named,
 * in one error.
 */
async function resolveOutputReferences(instance, ctx, fields) {
    const r = await readDeferredValues(instance, ctx, fields);
    if (r.errors.length > 0)
        throw new util_errors/* InstanceError */.i2(r.errors.join('; '));
    return r.instance;
}
/** {@link resolveOutputReferences}, with the reads that failed left deferred and their errors listed. */
async function readDeferredValues(instance, ctx, fields) {
    if (instance.reads.length === 0 || instance.unsupported.length > 0)
        return { instance, errors: [] };
    const sections = fields ? instance_sections/* SECTION_FIELDS */.q.filter(([f]) => fields.includes(f)) : instance_sections/* SECTION_FIELDS */.q;
    const within = (at) => sections.some(([, name]) => at === name || at.startsWith(`${name}.`) || at.startsWith(`${name}[`));
    const reads = instance.reads.filter(({ path: at }) => !fields || within(at));
    if (reads.length === 0)
        return { instance, errors: [] };
    // First the reads (async, shared): instances' outputs, and the store keys not read yet (one batch per store).
    const refs = new Map();
    const keys = new Map();
    const outputs = new Map();
    const outputReads = reads.filter((r) => (0,deferred/* isOutputRead */.a8)(r.read));
    await Promise.all(outputReads.map(async ({ path: at, read }) => void refs.set(read, await toRef(read, ctx, at).catch((e) => e))));
    const pending = [];
    for (const { read } of outputReads) {
        const r = refs.get(read);
        if (r instanceof Error)
            continue;
        const k = readKey(r);
        if (outputs.has(k))
            continue;
        outputs.set(k, null);
        pending.push(readOutputs(r, ctx).then((o) => void outputs.set(k, o), (e) => void outputs.set(k, e)));
    }
    for (const { path: at, read } of reads)
        if (!(0,deferred/* isOutputRead */.a8)(read) && !keys.has(read))
            keys.set(read, storeKeyAt(instance, at, read, ctx.values));
    const storeKeys = [...keys.values()].filter((k) => !(k instanceof util_errors/* InstanceError */.i2));
    if (storeKeys.length > 0)
        pending.push(readStoreKeys(ctx.values, storeKeys, ctx.log));
    await Promise.all(pending);
    const valueOf = (read, at) => {
        if (!(0,deferred/* isOutputRead */.a8)(read))
            return storeValueAt(instance, at, read, keys.get(read) ?? storeKeyAt(instance, at, read, ctx.values), ctx.values);
        const r = refs.get(read);
        if (r === undefined)
            throw new util_errors/* InstanceError */.i2(`${at}: ${(0,deferred/* readLabel */.V8)(read)} was not read`);
        if (r instanceof Error)
            throw r;
        const outs = outputs.get(readKey(r));
        if (outs instanceof Error)
            throw outs;
        return evaluate(read.expression, outs, r.way, `${at}: ${(0,deferred/* readLabel */.V8)(read)}`);
    };
    const errors = [];
    const replaced = {};
    for (const [field, name] of sections) {
        const before = instance[field];
        const after = (0,deferred/* mapDeferred */.uD)(before, (v, at) => {
            try {
                const whole = v.whole;
                if (whole)
                    return valueOf(whole, at);
                return v.parts
                    .map((p) => {
                    if (typeof p === 'string')
                        return p;
                    const x = valueOf(p, at);
                    return typeof x === 'string' ? x : JSON.stringify(x);
                })
                    .join('');
            }
            catch (e) {
                if (!(e instanceof util_errors/* InstanceError */.i2))
                    throw e;
                if (!errors.includes(e.message))
                    errors.push(e.message);
                return v;
            }
        }, name);
        if (after !== before)
            replaced[field] = after;
    }
    const left = fields ? instance.reads.filter((r) => !within(r.path)) : [];
    return { instance: (0,stacks_instance/* withSections */.VU)(instance, replaced, { reads: left }), errors };
}
async function toRef(read, ctx, where) {
    const { component, stack, way } = (0,deferred/* readTarget */._E)(read);
    let target;
    try {
        target = await ctx.find(component, stack);
    }
    catch {
        throw new util_errors/* InstanceError */.i2(`${where}: ${read.kind === 'atmos.Component' ? 'atmos.Component' : `!${read.kind}`} reads ${component} in stack ${stack}, which does not exist`);
    }
    return { target, way };
}
const readKey = (r) => `${r.way} ${(0,identity/* instanceKey */.pA)(r.target)}`;
function readOutputs(r, ctx) {
    const k = readKey(r);
    let p = ctx.cache.get(k);
    if (!p) {
        p = r.way === 'output' ? terraformOutputs(r.target, ctx) : readStateOutputs(r.target, ctx);
        ctx.cache.set(k, p);
    }
    return p;
}
/** `terraform output -json` in the read instance's workdir, in its workspace; not logged (outputs may be sensitive). */
async function terraformOutputs(target, ctx) {
    const workdir = ctx.workdirToRead ? await ctx.workdirToRead(target) : (0,paths/* buildWorkdirPath */.Sb)(ctx.basePath, target.stack, target.component);
    const label = (0,identity/* displayName */.QC)(target);
    if (!external_node_fs_default().existsSync(external_node_path_default().join(workdir, '.terraform'))) {
        ctx.log.info(`read the outputs of ${label}: its workdir is not initialised (not provisioned)`);
        return null;
    }
    const { env } = terraformEnv({ userEnv: ctx.env, componentEnv: target.env, parallel: false });
    if (target.workspace && target.workspace !== 'default')
        env.TF_WORKSPACE = target.workspace;
    const command = target.command || 'terraform';
    const r = await ctx.exec.run(command, ['output', '-json'], { cwd: workdir, env });
    if (r.code !== 0) {
        throw new util_errors/* InstanceError */.i2(`reading the outputs of ${label} (${command} output -json) failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
    }
    const parsed = JSON.parse(r.stdout || '{}');
    const outputs = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v.value]));
    const none = Object.keys(outputs).length === 0;
    ctx.log.info(`read the outputs of ${label} with ${command} output -json${none ? ' (none: not provisioned)' : ''}`);
    return none ? null : outputs;
}
/** The YQ expressions real stacks use: `.a.b[0]` paths and a `// default`. */
function evaluate(expression, outputs, way, what) {
    const { path: pathExpr, fallback } = (0,args/* splitDefault */.ig)(expression);
    if (outputs === null) {
        if (fallback !== undefined)
            return fallback;
        const why = way === 'state' ? 'has no state yet' : 'has no outputs yet';
        throw new util_errors/* InstanceError */.i2(`${what}: the instance it reads ${why} (not provisioned); apply it first or add a \`// default\``);
    }
    const cur = (0,args/* queryPath */.QR)(outputs, pathExpr);
    if (cur === undefined)
        throw new util_errors/* InstanceError */.i2(`${what}: the YQ expression is not supported (only paths like .a.b[0] and // default)`);
    if (cur === null)
        return fallback ?? null;
    return cur;
}

;// CONCATENATED MODULE: ./src/report/run.ts


function counts(r) {
    const c = r.plan?.counts;
    if (!c)
        return '';
    return `+${c.add} ~${c.change} -${c.destroy}${c.replace ? ` ±${c.replace}` : ''}`;
}
/** The result column: what happened, or why not. */
function resultText(r) {
    switch (r.status) {
        case 'no-changes':
            return 'no changes';
        case 'changes':
            return `changes ${counts(r)}`;
        case 'applied':
        case 'destroyed':
            return r.plan ? `${r.status} ${counts(r)}` : r.status;
        case 'failed':
            return `failed: ${r.reason}`;
        case 'skipped':
            return `skipped: ${r.reason}`;
    }
}
function formatDuration(ms) {
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)}s`;
    const s = Math.round(ms / 1000);
    return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
/** A long terraform error would stretch the table; the JSON output keeps the whole text. */
const MAX_RESULT = 160;
/** The final table: INSTANCE, RESULT, DURATION, then a summary line. */
function formatRunTable(report) {
    const rows = [['INSTANCE', 'RESULT', 'DURATION']];
    for (const r of report.results) {
        const text = resultText(r).replace(/\s+/g, ' ');
        rows.push([displayName(r), text.length > MAX_RESULT ? `${text.slice(0, MAX_RESULT - 1)}…` : text, formatDuration(r.durationMs)]);
    }
    const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i].length)));
    const lines = rows.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd());
    const by = (s) => report.results.filter((r) => r.status === s).length;
    const tally = ['no-changes', 'changes', 'applied', 'destroyed', 'failed', 'skipped']
        .filter((s) => by(s) > 0)
        .map((s) => `${by(s)} ${s.replace('-', ' ')}`)
        .join(', ');
    const head = `${report.action}: ${report.results.length} instance(s), ${tally}; ${formatDuration(report.wallMs)} wall, parallelism ${report.parallelism}`;
    return `${lines.join('\n')}\n\n${head}${report.cancelled ? ' (cancelled)' : ''}\n`;
}
/** `--format json`: snake_case fields; the plan lists addresses and counts, never values. */
function runJson(report) {
    return {
        action: report.action,
        cancelled: report.cancelled,
        parallelism: report.parallelism,
        wall_ms: Math.round(report.wallMs),
        // What the provider store did: a CI log or dashboard can tell a warm store (0 extractions) from a cold one.
        ...(report.providers ? { provider_store: { ...report.providers } } : {}),
        results: report.results.map((r) => ({
            instance: r.instance,
            stack: r.stack,
            component: r.component,
            status: r.status,
            reason: r.reason,
            duration_ms: Math.round(r.durationMs),
            ...(r.planfile ? { planfile: r.planfile } : {}),
            ...(r.plan
                ? {
                    changes: { add: r.plan.add, change: r.plan.change, destroy: r.plan.destroy, replace: r.plan.replace },
                    counts: r.plan.counts,
                    output_changes: r.plan.outputs,
                }
                : {}),
            steps: r.steps.map((s) => ({ step: s.step, ms: Math.round(s.ms), code: s.code, ...(s.signal ? { signal: s.signal } : {}) })),
        })),
    };
}
/**
 * 0 all ok, 1 any failure (or a cancelled run), and with `plan --detailed-exitcode` 2 when some
 * instance has changes and none failed. The CLI turns a cancellation into 130/143 itself.
 */
function runExitCode(report, opts = {}) {
    if (report.cancelled || report.results.some((r) => r.status === 'failed'))
        return 1;
    if (opts.detailedExitcode && report.results.some((r) => r.status === 'changes'))
        return 2;
    return 0;
}
/**
 * The question apply and destroy ask on a terminal before changing what nobody has reviewed, as
 * terraform asks: the instance, its workspace, what the plan does, and that only "yes" approves.
 */
function approvalQuestion(action, who, plan) {
    const verb = action === 'destroy' ? 'Destroy' : 'Apply';
    return `\n${verb} the plan of ${who.component}@${who.stack} (workspace ${who.workspace}: ${summarizePlan(plan)})?\n  Only 'yes' will be accepted to approve.\n  Enter a value: `;
}

// EXTERNAL MODULE: ./src/util/secrets.ts
var secrets = __webpack_require__(84537);
// EXTERNAL MODULE: ./src/workdir/provision.ts + 4 modules
var provision = __webpack_require__(41546);
;// CONCATENATED MODULE: ./src/app/prepare-init.ts
const pluginCachePolicy = async ({ parallel, env, cliConfig }) => {
    if (!parallel)
        return { env, serializeInits: false, notes: [] };
    const notes = [];
    const out = { ...env };
    if (out.TF_PLUGIN_CACHE_DIR !== undefined) {
        notes.push(`TF_PLUGIN_CACHE_DIR=${out.TF_PLUGIN_CACHE_DIR} is not passed to parallel terraform runs: terraform's plugin cache is not safe ` +
            'for concurrent inits, so each instance installs its providers into its own .terraform/ instead');
        delete out.TF_PLUGIN_CACHE_DIR;
        delete out.TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE;
    }
    const serializeInits = cliConfig.setsPluginCache;
    if (serializeInits) {
        notes.push(`the terraform CLI config ${cliConfig.file} sets plugin_cache_dir, which is not safe for concurrent inits and cannot be switched off ` +
            'from outside: inits run one at a time (plan and apply still run in parallel)');
    }
    return { env: out, serializeInits, notes };
};
/** A gate letting one wrapped call run at a time, in arrival order. */
function oneAtATime() {
    let tail = Promise.resolve();
    return (fn) => {
        const run = tail.then(fn, fn);
        tail = run.catch(() => undefined);
        return run;
    };
}

;// CONCATENATED MODULE: ./src/providers/cli-config.ts
/**
 * The terraform CLI configuration each instance's init runs with: the provider store as a
 * `filesystem_mirror` for exactly the packages it holds, then the user's own installation methods
 * (or `direct`) for everything else, each told to `exclude` what the store serves. Terraform asks
 * every matching method for a provider's versions even when the lock file pins one, so the
 * exclusions are what keeps a registry or mirror from being contacted for stored providers.
 * Pure: returns text; writing it and pointing TF_CLI_CONFIG_FILE at it is the caller's job, as is
 * making sure no plugin cache (plugin_cache_dir, TF_PLUGIN_CACHE_DIR) is in effect.
 */


/**
 * A quoted string for terraform's CLI configuration, which is read with HCL version 1 (not the
 * HCL 2 of .tf files): backslash escapes for quotes, backslashes and control characters, and no
 * template escapes. HCL 1 keeps `${...}` verbatim but lets it swallow quotes, and has no way to
 * write a literal `${`, so such text is refused rather than written wrong.
 */
function cliConfigString(s, what) {
    if (s.includes('${'))
        throw new util_errors/* AtmosError */.f7(`${what} ${JSON.stringify(s)} contains "\${", which a terraform CLI configuration cannot hold`);
    let out = '"';
    for (const c of s) {
        const code = c.charCodeAt(0);
        if (c === '"' || c === '\\')
            out += `\\${c}`;
        else if (c === '\n')
            out += '\\n';
        else if (c === '\r')
            out += '\\r';
        else if (c === '\t')
            out += '\\t';
        else if (code < 0x20 || code === 0x7f)
            out += `\\u${code.toString(16).padStart(4, '0')}`;
        else
            out += c;
    }
    return `${out}"`;
}
const cli_config_list = (items, what) => `[${items.map((i) => cliConfigString(i, what)).join(', ')}]`;
function methodBlock(m, alsoExclude) {
    const lines = [`  ${m.kind} {`];
    if (m.kind === 'filesystem_mirror')
        lines.push(`    path    = ${cliConfigString(m.path, 'filesystem_mirror path')}`);
    if (m.kind === 'network_mirror')
        lines.push(`    url     = ${cliConfigString(m.url, 'network_mirror url')}`);
    if (m.include?.length)
        lines.push(`    include = ${cli_config_list(m.include, 'include pattern')}`);
    const exclude = [...new Set([...(m.exclude ?? []), ...alsoExclude])];
    if (exclude.length)
        lines.push(`    exclude = ${cli_config_list(exclude, 'exclude pattern')}`);
    lines.push('  }');
    return lines.join('\n');
}
function storeCliConfig(input) {
    if (!input.store.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(input.store)) {
        throw new util_errors/* AtmosError */.f7(`the provider store path must be absolute: ${JSON.stringify(input.store)}`);
    }
    const stored = [...new Set(input.stored.map(formatProviderAddress))].sort();
    const methods = input.methods ?? [{ kind: 'direct' }];
    if (methods.length === 0 && stored.length === 0)
        throw new util_errors/* AtmosError */.f7('no provider installation method left: every init would fail');
    const blocks = [];
    if (stored.length > 0) {
        blocks.push([
            '  filesystem_mirror {',
            `    path    = ${cliConfigString(input.store, 'provider store path')}`,
            `    include = ${cli_config_list(stored, 'provider')}`,
            '  }',
        ].join('\n'));
    }
    for (const m of methods)
        blocks.push(methodBlock(m, stored));
    const parts = ['# Generated by atmos-action: the provider store first, then your own installation methods.'];
    if (input.extra?.trim())
        parts.push(input.extra.trim());
    parts.push(`provider_installation {\n${blocks.join('\n')}\n}`);
    return `${parts.join('\n\n')}\n`;
}

;// CONCATENATED MODULE: ./src/providers/hash.ts
/**
 * The two package hashes terraform records in `.terraform.lock.hcl`:
 * - `h1:` (Go's golang.org/x/mod/sumdb/dirhash Hash1) over a package's contents. It verifies an
 *   unpacked directory, which is what the provider store holds, so it is the one the store checks.
 * - `zh:` the SHA-256 of a release zip. It can only verify a zip, never an unpacked directory.
 */





/**
 * Hash1 from per-file digests: SHA-256 over the lines `"<sha256 hex>  <path>\n"` sorted by path
 * (bytewise, as Go's sort.Strings), base64 with padding, prefixed `h1:`.
 */
function h1FromFiles(files) {
    const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a.path, 'utf8'), Buffer.from(b.path, 'utf8')));
    const summary = (0,external_node_crypto_.createHash)('sha256');
    for (const f of sorted) {
        // Go's dirhash refuses these too: they would make the summary ambiguous.
        if (f.path.includes('\n'))
            throw new util_errors/* AtmosError */.f7(`cannot hash a file name containing a newline: ${JSON.stringify(f.path)}`);
        summary.update(`${f.sha256}  ${f.path}\n`);
    }
    return `h1:${summary.digest('base64')}`;
}
async function listFiles(root, rel, out) {
    const entries = await external_node_fs_default().promises.readdir(external_node_path_default().join(root, rel), { withFileTypes: true });
    for (const e of entries) {
        const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
        if (e.isDirectory())
            await listFiles(root, relPath, out);
        else if (e.isFile())
            out.push(relPath);
        else {
            // Store entries are unpacked by us from zips, which hold regular files only; anything else
            // (a symlink pointing elsewhere, a socket) means the entry is not what we installed.
            throw new util_errors/* AtmosError */.f7(`${external_node_path_default().join(root, relPath)} is not a regular file; a provider package holds regular files only`, {
                file: external_node_path_default().join(root, relPath),
            });
        }
    }
}
/**
 * The `h1:` hash of an unpacked provider package directory. The directory itself may be reached
 * through a symlink (terraform links `.terraform/providers/...` to its source), as terraform
 * resolves it before hashing; entries inside it must be regular files or directories.
 */
async function h1HashOfDirectory(dir) {
    let root;
    try {
        root = await external_node_fs_default().promises.realpath(dir);
        if (!(await external_node_fs_default().promises.stat(root)).isDirectory())
            throw new Error('not a directory');
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot hash provider package ${dir}: ${e.message}`, { file: dir, cause: e });
    }
    const rels = [];
    await listFiles(root, '', rels);
    const files = await Promise.all(rels.map(async (rel) => ({ path: rel, sha256: await (0,hash/* sha256File */.Q3)(external_node_path_default().join(root, ...rel.split('/'))) })));
    return h1FromFiles(files);
}
/** The `zh:` hash of a packed provider release (the zip file's SHA-256, hex). */
async function zhHashOfZip(zipFile) {
    return `zh:${await sha256File(zipFile)}`;
}

;// CONCATENATED MODULE: ./src/providers/entry.ts
/**
 * One package in the provider store: where it lives, how a reader checks it without a lock, and
 * how a writer publishes it. A package is trusted only with its sentinel (`verified/…/<platform>.json`),
 * written after the package was hashed by our own code and renamed into place. The sentinel records
 * the verified `h1:` and a stat fingerprint (relative path, size, mtime of every file), so the
 * lock-free hit path costs a few `stat` calls; any change to a file changes the fingerprint and
 * sends the reader to the locked path, which re-hashes, and removes the entry if it no longer matches.
 */








function storeEntry(root, address, version, platform) {
    const p = (0,paths/* providerStorePaths */.nS)(root);
    const dir = unpackedPackageDir(p.packages, address, version, platform);
    // Same validated parts as the package path, so nothing from a lock file can leave these folders.
    const rel = external_node_path_default().relative(p.packages, dir);
    return {
        address,
        version: checkProviderVersion(version),
        platform,
        dir,
        sentinel: `${(0,safe_path/* safeJoin */.g)(p.verified, rel, 'store entry')}.json`,
        lockKey: (0,safe_path/* safeJoin */.g)(p.locks, rel, 'store entry'),
    };
}
function entryName(e) {
    return `${formatProviderAddress(e.address)} ${e.version} (${e.platform})`;
}
/** Relative path, size and mtime of every file below `dir`, sorted: changes whenever a file is rewritten. */
async function statFingerprint(dir) {
    const rows = [];
    const walk = async (abs, rel) => {
        for (const d of await external_node_fs_default().promises.readdir(abs, { withFileTypes: true })) {
            const a = external_node_path_default().join(abs, d.name);
            const r = rel ? `${rel}/${d.name}` : d.name;
            if (d.isDirectory())
                await walk(a, r);
            else {
                const st = await external_node_fs_default().promises.lstat(a);
                rows.push(`${r}\0${st.isSymbolicLink() ? 'l' : 'f'}\0${st.size}\0${Math.round(st.mtimeMs)}\0${st.mode & 0o777}`);
            }
        }
    };
    await walk(dir, '');
    return rows.sort().join('\n');
}
function readSentinel(file) {
    try {
        const s = JSON.parse(external_node_fs_default().readFileSync(file, 'utf8'));
        return typeof s.h1 === 'string' && typeof s.fingerprint === 'string' ? s : null;
    }
    catch {
        return null;
    }
}
/** The lock-free check: sentinel present, its `h1:` is one the lock file accepts, and no file changed since. */
async function cheapHit(e, acceptable) {
    const s = readSentinel(e.sentinel);
    if (!s || !acceptable.has(s.h1))
        return false;
    try {
        return (await statFingerprint(e.dir)) === s.fingerprint;
    }
    catch {
        return false;
    }
}
/** Full check (under the entry's lock): hashes the package; returns its `h1:` when the lock file accepts it. */
async function verifiedHash(dir, acceptable) {
    try {
        const h1 = await h1HashOfDirectory(dir);
        return acceptable.has(h1) ? h1 : null;
    }
    catch {
        return null;
    }
}
async function recordVerified(e, h1) {
    await (0,lock/* writeSentinel */.qg)(e.sentinel, { h1, fingerprint: await statFingerprint(e.dir) });
}
/** A fresh scratch folder inside the store (same filesystem as the packages). */
async function scratchDir(root, what) {
    const tmp = (0,paths/* providerStorePaths */.nS)(root).tmp;
    await external_node_fs_default().promises.mkdir(tmp, { recursive: true });
    return external_node_fs_default().promises.mkdtemp(external_node_path_default().join(tmp, `${what}-${(0,external_node_crypto_.randomBytes)(3).toString('hex')}-`));
}
/** Moves a bad or half-written entry out of the way (one rename), then deletes it; its sentinel first. */
async function discardEntry(root, e) {
    await external_node_fs_default().promises.rm(e.sentinel, { force: true });
    if (!external_node_fs_default().existsSync(e.dir))
        return;
    const trash = await scratchDir(root, 'trash');
    await external_node_fs_default().promises.rename(e.dir, external_node_path_default().join(trash, 'pkg'));
    await external_node_fs_default().promises.rm(trash, { recursive: true, force: true });
}
/**
 * Publishes a verified package by renaming it into place. Renaming onto an existing, non-empty
 * directory fails, so a verified entry is never overwritten (callers hold the entry's lock and
 * discarded any bad entry first).
 */
async function publishEntry(e, from, h1) {
    await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(e.dir), { recursive: true });
    await external_node_fs_default().promises.rename(from, e.dir);
    await recordVerified(e, h1);
}
/**
 * Removes scratch folders older than `maxAgeMs` (left by a killed install; a live one is younger,
 * since an install never takes that long). Best effort: a folder another process removes first is fine.
 */
async function sweepScratch(root, maxAgeMs, now = Date.now()) {
    const tmp = (0,paths/* providerStorePaths */.nS)(root).tmp;
    let removed = 0;
    let names;
    try {
        names = await external_node_fs_default().promises.readdir(tmp);
    }
    catch {
        return 0;
    }
    for (const name of names) {
        const p = external_node_path_default().join(tmp, name);
        try {
            if (now - (await external_node_fs_default().promises.lstat(p)).mtimeMs < maxAgeMs)
                continue;
            await external_node_fs_default().promises.rm(p, { recursive: true, force: true });
            removed++;
        }
        catch {
            // gone already
        }
    }
    return removed;
}

;// CONCATENATED MODULE: ./src/providers/lockfile.ts
/**
 * A strict reader of terraform's dependency lock file (`.terraform.lock.hcl`). It understands
 * exactly what terraform writes, plus what HCL allows a person to add by hand (comments `#`, `//`
 * and block comments, trailing commas, blank lines, one-line blocks), and refuses anything else
 * with `file:line`: guessing at a lock file would let the provider store trust the wrong package.
 *
 *   provider "registry.terraform.io/hashicorp/aws" {
 *     version     = "6.2.0"
 *     constraints = "~> 6.0"
 *     hashes = [
 *       "h1:...",
 *       "zh:...",
 *     ]
 *   }
 */



class LockFileError extends util_errors/* AtmosError */.f7 {
    constructor(file, line, message) {
        super(`${file}:${line}: ${message}`, { file, line });
        this.name = 'LockFileError';
    }
}
function lockfile_describe(t) {
    if (t.kind === 'eof')
        return 'the end of the file';
    if (t.kind === 'newline')
        return 'a line break';
    return t.kind === 'string' ? `the string ${JSON.stringify(t.text)}` : JSON.stringify(t.text);
}
// ─── lexer ─────────────────────────────────────────────────────────────────────────────────────
const ESCAPES = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
function tokenize(text, file) {
    const tokens = [];
    let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    let line = 1;
    const fail = (msg) => {
        throw new LockFileError(file, line, msg);
    };
    while (i < text.length) {
        const c = text[i];
        if (c === ' ' || c === '\t' || c === '\r')
            i++;
        else if (c === '\n') {
            tokens.push({ kind: 'newline', text: '\n', line });
            line++;
            i++;
        }
        else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
            while (i < text.length && text[i] !== '\n')
                i++;
        }
        else if (c === '/' && text[i + 1] === '*') {
            const end = text.indexOf('*/', i + 2);
            if (end < 0)
                fail('unterminated /* comment');
            for (let k = i; k < end; k++)
                if (text[k] === '\n')
                    line++;
            i = end + 2;
        }
        else if ('{}[]=,'.includes(c)) {
            tokens.push({ kind: c, text: c, line });
            i++;
        }
        else if (/[A-Za-z_]/.test(c)) {
            const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i, i + 256));
            tokens.push({ kind: 'ident', text: m[0], line });
            i += m[0].length;
        }
        else if (c === '"') {
            let value = '';
            i++;
            for (;;) {
                const d = text[i];
                if (d === undefined || d === '\n')
                    fail('unterminated string');
                if (d === '"')
                    break;
                if (d === '\\') {
                    const e = text[i + 1] ?? '';
                    if (e in ESCAPES) {
                        value += ESCAPES[e];
                        i += 2;
                    }
                    else if (e === 'u' || e === 'U') {
                        const len = e === 'u' ? 4 : 8;
                        const hex = text.slice(i + 2, i + 2 + len);
                        const cp = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : NaN;
                        if (!(cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff))
                            fail(`invalid escape \\${e}${hex}`);
                        value += String.fromCodePoint(cp);
                        i += 2 + len;
                    }
                    else
                        fail(`unsupported escape \\${e} in a string`);
                }
                else if ((d === '$' || d === '%') && text[i + 1] === '{') {
                    fail(`template sequence ${d}{ in a string: a lock file holds literal strings only`);
                }
                else if ((d === '$' || d === '%') && text[i + 1] === d && text[i + 2] === '{') {
                    value += `${d}{`; // $${ and %%{ are HCL's escapes for a literal ${ and %{
                    i += 3;
                }
                else {
                    value += d;
                    i++;
                }
            }
            tokens.push({ kind: 'string', text: value, line });
            i++;
        }
        else {
            fail(`unexpected ${JSON.stringify(c)}; a lock file holds only provider blocks of quoted strings and lists of them`);
        }
    }
    tokens.push({ kind: 'eof', text: '', line });
    return tokens;
}
// ─── parser ────────────────────────────────────────────────────────────────────────────────────
const H1 = /^h1:[A-Za-z0-9+/]{43}=$/;
const ZH = /^zh:[0-9a-f]{64}$/;
const OTHER_SCHEME = /^[a-z][a-z0-9]*:\S+$/;
function checkHash(h, file, line) {
    if (h.startsWith('h1:') ? H1.test(h) : h.startsWith('zh:') ? ZH.test(h) : OTHER_SCHEME.test(h))
        return h;
    throw new LockFileError(file, line, `${JSON.stringify(h)} is not a package hash ("h1:<base64>" or "zh:<hex>")`);
}
/** Parses the text of a `.terraform.lock.hcl`; `file` names it in errors. */
function parseLockFile(text, file) {
    const tokens = tokenize(text, file);
    let pos = 0;
    const peek = () => tokens[pos];
    const next = () => tokens[pos++];
    const fail = (t, msg) => {
        throw new LockFileError(file, t.line, msg);
    };
    const expect = (kind, what) => {
        const t = next();
        return t.kind === kind ? t : fail(t, `expected ${what}, found ${lockfile_describe(t)}`);
    };
    const skipNewlines = () => {
        while (peek().kind === 'newline')
            pos++;
    };
    const providers = [];
    const seen = new Map();
    for (skipNewlines(); peek().kind !== 'eof'; skipNewlines()) {
        const head = next();
        if (head.kind !== 'ident' || head.text !== 'provider') {
            fail(head, `expected a provider block, found ${lockfile_describe(head)} (this reader knows only provider blocks)`);
        }
        const label = expect('string', 'the provider address in quotes');
        let address;
        try {
            address = parseProviderAddress(label.text);
        }
        catch (e) {
            return fail(label, e.message);
        }
        const source = formatProviderAddress(address);
        if (seen.has(source))
            fail(label, `provider ${JSON.stringify(source)} is locked twice (first at line ${seen.get(source)})`);
        seen.set(source, head.line);
        expect('{', '"{"');
        const attrs = new Map();
        for (skipNewlines(); peek().kind !== '}'; skipNewlines()) {
            const name = expect('ident', 'an attribute name or "}"');
            if (!['version', 'constraints', 'hashes'].includes(name.text)) {
                fail(name, `unknown attribute ${JSON.stringify(name.text)} in a provider block (known: version, constraints, hashes)`);
            }
            if (attrs.has(name.text))
                fail(name, `${name.text} is set twice in this provider block`);
            expect('=', `"=" after ${name.text}`);
            let value;
            if (name.text === 'hashes') {
                expect('[', 'a list of hashes in [...]');
                value = [];
                for (skipNewlines(); peek().kind !== ']'; skipNewlines()) {
                    const h = expect('string', 'a quoted hash or "]"');
                    value.push(checkHash(h.text, file, h.line));
                    skipNewlines();
                    if (peek().kind !== ']')
                        expect(',', '"," or "]" after a hash');
                }
                next();
            }
            else {
                value = expect('string', `a quoted string for ${name.text}`).text;
            }
            attrs.set(name.text, { value, line: name.line });
            const end = peek();
            if (end.kind !== 'newline' && end.kind !== '}')
                fail(end, `expected a line break after ${name.text}, found ${lockfile_describe(end)}`);
        }
        next(); // }
        const after = peek();
        if (after.kind !== 'newline' && after.kind !== 'eof')
            fail(after, `expected a line break after the provider block, found ${lockfile_describe(after)}`);
        const version = attrs.get('version');
        if (!version)
            fail(head, `provider ${JSON.stringify(source)} has no version`);
        try {
            checkProviderVersion(version.value);
        }
        catch (e) {
            throw new LockFileError(file, version.line, e.message);
        }
        const constraints = attrs.get('constraints')?.value;
        providers.push({
            address,
            source,
            version: version.value,
            ...(constraints === undefined ? {} : { constraints }),
            hashes: attrs.get('hashes')?.value ?? [],
            line: head.line,
        });
    }
    return providers;
}
/** Reads and parses a lock file; a missing file is an error (the caller decides if it may be absent). */
async function readLockFile(file) {
    let text;
    try {
        text = await external_node_fs_default().promises.readFile(file, 'utf8');
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot read the lock file ${file}: ${e.message}`, { file, cause: e });
    }
    return parseLockFile(text, file);
}

;// CONCATENATED MODULE: ./src/providers/install.ts
/**
 * Installing one package the way the user's terraform would: a scratch root module that requires
 * exactly that provider and version, its lock file holding exactly the locked hashes, and
 * `terraform init -backend=false` with the user's own CLI configuration (mirrors, credentials,
 * network) minus any plugin cache. Whatever source the user has keeps working, and terraform checks
 * the package against the lock file too. The caller verifies the result again with our own hash.
 */




/** Variables that would make the scratch init write elsewhere, use a shared cache, or run other commands. */
const SCRATCH_DROPPED = /^(TF_PLUGIN_CACHE_DIR|TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE|TF_DATA_DIR|TF_CLI_ARGS(_.*)?|TF_WORKSPACE)$/;
function hclString(s) {
    if (/[$%]\{/.test(s))
        throw new util_errors/* AtmosError */.f7(`${JSON.stringify(s)} cannot be written into a scratch module`);
    return JSON.stringify(s);
}
/** The lock-file block terraform writes, for exactly one provider. */
function lockBlock(p) {
    return [
        `provider ${hclString(p.source)} {`,
        `  version = ${hclString(p.version)}`,
        '  hashes = [',
        ...p.hashes.map((h) => `    ${hclString(h)},`),
        '  ]',
        '}',
        '',
    ].join('\n');
}
function scratchModule(p) {
    return `terraform {\n  required_providers {\n    p = { source = ${hclString(p.source)}, version = ${hclString(`= ${p.version}`)} }\n  }\n}\n`;
}
/**
 * Runs the scratch init in `scratch` (an empty folder on the store's filesystem) and returns the
 * installed package folder (a symlink target when terraform linked from an unpacked mirror).
 */
async function installWithTerraform(t, p, platform, scratch) {
    external_node_fs_default().writeFileSync(external_node_path_default().join(scratch, 'main.tf'), scratchModule(p));
    external_node_fs_default().writeFileSync(external_node_path_default().join(scratch, '.terraform.lock.hcl'), lockBlock(p));
    const env = {};
    for (const [k, v] of Object.entries(t.env))
        if (!SCRATCH_DROPPED.test(k))
            env[k] = v;
    if (t.cliConfigFile)
        env.TF_CLI_CONFIG_FILE = t.cliConfigFile;
    env.TF_IN_AUTOMATION = '1';
    env.TF_INPUT = '0';
    let r;
    try {
        r = await t.exec.run(t.command, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: scratch, env });
    }
    catch (e) {
        throw new util_errors/* AtmosError */.f7(`cannot run ${t.command} to install ${formatProviderAddress(p.address)} ${p.version}: ${e.message}`, { cause: e });
    }
    if (r.code !== 0) {
        const why = (r.stderr + r.stdout)
            .split('\n')
            .filter((l) => l.trim())
            .slice(-6)
            .join(' / ');
        throw new util_errors/* AtmosError */.f7(`installing ${formatProviderAddress(p.address)} ${p.version} with ${t.command} failed: ${why}`, { kind: 'instance' });
    }
    const installed = unpackedPackageDir(external_node_path_default().join(scratch, '.terraform', 'providers'), p.address, p.version, platform);
    if (!external_node_fs_default().existsSync(installed)) {
        throw new util_errors/* AtmosError */.f7(`${t.command} init reported success but installed no ${platform} package of ${formatProviderAddress(p.address)} ${p.version}`, {
            kind: 'instance',
        });
    }
    return installed;
}

;// CONCATENATED MODULE: ./src/providers/store.ts
/**
 * The provider store: makes sure it holds every (provider, version, platform) that the given lock
 * files name, each installed once per machine. The hit path takes no lock (sentinel + stat
 * fingerprint, see entry.ts); a miss takes the package's own lock, checks again (another process may
 * have installed it meanwhile), then fills it from a seed (the user's plugin cache, read only, or a
 * workdir's own `.terraform/providers` when harvesting) or by asking terraform to install it in a
 * scratch folder. Every source is hashed by our own code against the lock file before it is
 * renamed into place; a corrupted entry is removed and reinstalled, never used.
 */







const emptyStats = () => ({ hits: 0, rehashed: 0, installs: 0, seeded: 0, harvested: 0, corrupted: 0, extractions: 0 });
function addStats(into, s) {
    for (const k of Object.keys(into))
        into[k] += s[k];
    return into;
}
/** The `h1:` hashes a lock file accepts. Without one, no unpacked package can be verified (a lock file made on another OS). */
const h1Set = (p) => new Set(p.hashes.filter((h) => h.startsWith('h1:')));
async function copyVerified(seedDir, root, acceptable) {
    if (!external_node_fs_default().existsSync(seedDir) || !(await verifiedHash(seedDir, acceptable)))
        return null;
    const scratch = await scratchDir(root, 'seed');
    const dir = external_node_path_default().join(scratch, 'pkg');
    // Copy, never move: the seed belongs to the user (or to a workdir) and may be in use.
    await external_node_fs_default().promises.cp(await external_node_fs_default().promises.realpath(seedDir), dir, { recursive: true, preserveTimestamps: true });
    // The seed may have changed while we copied (a terraform writing its own cache): check the copy.
    const h1 = await verifiedHash(dir, acceptable);
    if (h1)
        return { dir, h1 };
    await external_node_fs_default().promises.rm(scratch, { recursive: true, force: true });
    return null;
}
async function fill(e, p, o, acceptable) {
    for (const seed of o.seeds ?? []) {
        const got = await copyVerified(unpackedPackageDir(seed, p.address, p.version, o.platform), o.root, acceptable);
        if (got) {
            await publishEntry(e, got.dir, got.h1);
            await external_node_fs_default().promises.rm(external_node_path_default().dirname(got.dir), { recursive: true, force: true });
            return o.seedKind ?? 'seeded';
        }
    }
    if (!o.installer)
        return 'missing';
    const scratch = await scratchDir(o.root, 'install');
    try {
        const installed = await installWithTerraform(o.installer, p, o.platform, scratch);
        const real = await external_node_fs_default().promises.realpath(installed);
        let dir = installed;
        if (real !== installed) {
            // Linked from the user's unpacked mirror: copy it, the mirror is not ours to move.
            dir = external_node_path_default().join(scratch, 'pkg');
            await external_node_fs_default().promises.cp(real, dir, { recursive: true, preserveTimestamps: true });
        }
        const h1 = await verifiedHash(dir, acceptable);
        if (!h1) {
            throw new util_errors/* AtmosError */.f7(`${entryName(e)}: the package terraform installed does not match any h1: hash in the lock file (line ${p.line}); not stored`, {
                kind: 'instance',
            });
        }
        await publishEntry(e, dir, h1);
        return 'installed';
    }
    finally {
        await external_node_fs_default().promises.rm(scratch, { recursive: true, force: true });
    }
}
/** Makes one package present and verified in the store; see the file comment. */
async function ensurePackage(p, o) {
    const acceptable = h1Set(p);
    if (acceptable.size === 0)
        return { outcome: 'unverifiable', corrupted: false };
    const e = storeEntry(o.root, p.address, p.version, o.platform);
    if (await cheapHit(e, acceptable))
        return { outcome: 'hit', corrupted: false };
    return (0,lock/* withLock */.kK)(e.lockKey, async () => {
        if (await cheapHit(e, acceptable))
            return { outcome: 'hit', corrupted: false };
        let corrupted = false;
        if (external_node_fs_default().existsSync(e.dir)) {
            const h1 = await verifiedHash(e.dir, acceptable);
            if (h1) {
                await recordVerified(e, h1);
                return { outcome: 'rehashed', corrupted };
            }
            o.log.warn(`provider store: ${entryName(e)} does not match the lock file's h1: hashes (corrupted or partial); removing and reinstalling it`);
            corrupted = true;
        }
        // Also clears a sentinel left without its package (an interrupted removal).
        await discardEntry(o.root, e);
        return { outcome: await fill(e, p, o, acceptable), corrupted };
    }, { ...o.lock, onWait: () => o.log.debug(`provider store: waiting for another process installing ${entryName(e)}`) });
}
/** One entry per (address, version), all hashes any lock file accepts for it merged. */
function lockedPackages(lockFiles) {
    const byKey = new Map();
    for (const p of lockFiles.flat()) {
        const k = `${p.source} ${p.version}`;
        const prev = byKey.get(k);
        if (prev)
            byKey.set(k, { ...prev, hashes: [...new Set([...prev.hashes, ...p.hashes])] });
        else
            byKey.set(k, p);
    }
    return [...byKey.values()].sort((a, b) => (a.source + a.version < b.source + b.version ? -1 : 1));
}
/**
 * Ensures every package; a package that cannot be stored is reported (and left to the user's own
 * installation methods), never fatal. Packages are handled one after another: installs are network
 * or disk bound, and different processes still fill different packages at the same time.
 */
async function ensureStore(packages, o) {
    const stats = emptyStats();
    const outcomes = [];
    for (const p of packages) {
        try {
            const { outcome, corrupted } = await ensurePackage(p, o);
            outcomes.push({ provider: p, outcome });
            if (corrupted)
                stats.corrupted++;
            if (outcome === 'hit')
                stats.hits++;
            else if (outcome === 'rehashed')
                stats.rehashed++;
            else if (outcome === 'installed')
                stats.installs++;
            else if (outcome === 'seeded')
                stats.seeded++;
            else if (outcome === 'harvested')
                stats.harvested++;
        }
        catch (err) {
            outcomes.push({ provider: p, outcome: 'failed', error: err.message });
            o.log.warn(`provider store: ${formatProviderAddress(p.address)} ${p.version}: ${err.message}`);
        }
    }
    stats.extractions = stats.installs + stats.seeded + stats.harvested;
    return { stats, outcomes };
}

;// CONCATENATED MODULE: ./src/providers/prepare.ts
/**
 * The hook a runner calls once before its inits: fill the provider store for the selected
 * instances' lock files, write ONE generated CLI configuration (the store as a `filesystem_mirror`
 * for what it holds, the user's own installation methods for the rest, no plugin cache), and say
 * which environment each instance's terraform runs in. Inits then only link into the store, and
 * every instance's lock file stays byte-identical.
 *
 * Instances without a lock file cannot be known in advance: `aroundInit` runs their inits one at a
 * time (a store-wide lock) with a config that offers the store first without excluding anything,
 * then harvests what they installed into the store; the user is told to commit lock files.
 */












/** Scratch folders older than this were left by a killed run. */
const SCRATCH_MAX_AGE_MS = 24 * 3600_000;
const PLUGIN_CACHE_ENV = ['TF_PLUGIN_CACHE_DIR', 'TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE'];
function withoutPluginCache(env, cliConfigFile) {
    const out = { ...env };
    for (const k of PLUGIN_CACHE_ENV)
        delete out[k];
    if (cliConfigFile)
        out.TF_CLI_CONFIG_FILE = cliConfigFile;
    return out;
}
/** Passes the environment through unchanged (the store is off): the runner's own plugin-cache rule applies. */
function storeOff(env) {
    return { env, envFor: () => env, aroundInit: (_w, init) => init(), lockless: [], unstorable: [], stats: emptyStats() };
}
async function writeConfig(root, text) {
    const file = external_node_path_default().join((0,paths/* providerStorePaths */.nS)(root).cliConfigs, `${(0,external_node_crypto_.createHash)('sha256').update(text).digest('hex').slice(0, 16)}.tfrc`);
    await external_node_fs_default().promises.mkdir(external_node_path_default().dirname(file), { recursive: true });
    // Content-addressed: concurrent runs with the same configuration write the same bytes.
    await (0,atomic_fs/* atomicWriteFile */.R)(file, text);
    return file;
}
async function prepareProviders(settings, ports) {
    if ('problem' in settings.cliConfig.parsed) {
        ports.log.warn(`provider store off: ${settings.cliConfig.parsed.problem}`);
        return storeOff(ports.env);
    }
    const user = settings.cliConfig.parsed;
    const packagesDir = (0,paths/* providerStorePaths */.nS)(settings.storeRoot).packages;
    // Terraform refuses a filesystem_mirror that does not exist, even an empty one.
    await external_node_fs_default().promises.mkdir(packagesDir, { recursive: true });
    await sweepScratch(settings.storeRoot, SCRATCH_MAX_AGE_MS);
    const header = '# Generated by atmos-action: your CLI configuration without its plugin cache.\n';
    const scratchConfig = await writeConfig(settings.storeRoot, user.methods ? storeCliConfig({ store: packagesDir, stored: [], methods: user.methods, extra: user.extra }) : header + user.extra);
    const seeds = [ports.env.TF_PLUGIN_CACHE_DIR, user.pluginCacheDir].filter((s) => !!s).map((s) => external_node_path_default().resolve(s));
    const base = { root: settings.storeRoot, platform: settings.platform, log: ports.log, lock: settings.lock };
    const lockless = [];
    const locks = [];
    for (const { workdir, lockFile } of settings.targets) {
        if (!lockFile) {
            lockless.push(workdir);
            continue;
        }
        try {
            locks.push(await readLockFile(lockFile));
        }
        catch (e) {
            ports.log.warn(`provider store: ${e.message}; this instance installs its providers itself, one at a time`);
            lockless.push(workdir);
        }
    }
    const packages = lockedPackages(locks);
    const installer = { exec: ports.exec, command: settings.command, env: withoutPluginCache(ports.env), cliConfigFile: scratchConfig };
    const { stats, outcomes } = await ensureStore(packages, { ...base, seeds, installer });
    // A provider goes to the store only when every version the lock files name is there.
    const ok = new Set(['hit', 'rehashed', 'installed', 'seeded']);
    const unstorable = outcomes
        .filter((o) => !ok.has(o.outcome))
        .map((o) => `${o.provider.source} ${o.provider.version}: ${o.outcome === 'unverifiable' ? `the lock file has no h1: hash for ${settings.platform}` : (o.error ?? o.outcome)}`);
    const badSources = new Set(outcomes.filter((o) => !ok.has(o.outcome)).map((o) => o.provider.source));
    const stored = packages.filter((p) => !badSources.has(p.source)).map((p) => p.address);
    for (const u of unstorable)
        ports.log.warn(`provider store: ${u}; installed per instance by your own installation methods`);
    const methods = user.methods ?? [{ kind: 'direct' }];
    const cliConfigFile = await writeConfig(settings.storeRoot, storeCliConfig({ store: packagesDir, stored, methods, extra: user.extra }));
    const env = withoutPluginCache(ports.env, cliConfigFile);
    let locklessEnv = env;
    if (lockless.length) {
        const text = storeCliConfig({ store: packagesDir, stored: [], methods: [{ kind: 'filesystem_mirror', path: packagesDir }, ...methods], extra: user.extra });
        locklessEnv = withoutPluginCache(ports.env, await writeConfig(settings.storeRoot, text));
        ports.log.warn(`${lockless.length} instance(s) have no .terraform.lock.hcl, so their providers cannot be known in advance: their inits run one at a time. ` +
            'Commit lock files (terraform providers lock) to make inits parallel and reproducible.');
    }
    const locklessSet = new Set(lockless.map((w) => external_node_path_default().resolve(w)));
    const serialKey = external_node_path_default().join((0,paths/* providerStorePaths */.nS)(settings.storeRoot).locks, 'lockless-init');
    const prepared = {
        cliConfigFile,
        env,
        envFor: (wd) => (locklessSet.has(external_node_path_default().resolve(wd)) ? locklessEnv : env),
        lockless,
        unstorable,
        stats,
        aroundInit: async (wd, init) => {
            if (!locklessSet.has(external_node_path_default().resolve(wd)))
                return init();
            return (0,lock/* withLock */.kK)(serialKey, async () => {
                const r = await init();
                await harvest(wd);
                return r;
            }, settings.lock);
        },
    };
    const harvest = async (wd) => {
        const file = external_node_path_default().join(wd, lock_seed/* CANONICAL_LOCK */.Dn);
        if (!external_node_fs_default().existsSync(file))
            return;
        try {
            const got = await ensureStore(lockedPackages([await readLockFile(file)]), {
                ...base,
                seeds: [external_node_path_default().join(wd, '.terraform', 'providers')],
                seedKind: 'harvested',
            });
            addStats(prepared.stats, got.stats);
            if (got.stats.harvested)
                ports.log.info(`provider store: harvested ${got.stats.harvested} package(s) from ${wd}`);
        }
        catch (e) {
            ports.log.warn(`provider store: could not harvest from ${wd}: ${e.message}`);
        }
    };
    ports.log.info(`provider store ${settings.storeRoot}: ${packages.length} package(s), ${stats.hits + stats.rehashed} present, ${stats.extractions} installed` +
        (stored.length ? ` (${[...new Set(stored.map(formatProviderAddress))].join(', ')} served from the store)` : ''));
    return prepared;
}

;// CONCATENATED MODULE: ./src/app/provider-store-init.ts
/**
 * The provider store as the runner's {@link PrepareInit}: before any init, fill the store for the
 * selected instances' lock files and hand every instance the generated CLI configuration (see
 * providers/prepare.ts). On by default; `ATMOS_ACTION_PROVIDER_STORE=off` (EnvSettings.providerStore)
 * or `RunSettings.providerStore: false` (CLI `--no-provider-store`) fall back to the plugin-cache
 * policy. Any unexpected trouble with the store itself (no place for it, an unwritable cache
 * folder) is a warning and the same fallback, never a failed run.
 */





/** The command most selected instances run (`terraform` by default): it installs missing packages. */
function commandOf(instances) {
    const counts = new Map();
    for (const i of instances)
        counts.set(i.command || 'terraform', (counts.get(i.command || 'terraform') ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'terraform';
}
function providerStorePrepareInit(settings, ports) {
    return async (ctx) => {
        const wd = (i) => (0,paths/* buildWorkdirPath */.Sb)(settings.basePath, i.stack, i.component);
        try {
            if ('problem' in settings.store)
                throw new Error(settings.store.problem);
            const prepared = await prepareProviders({
                targets: ctx.instances.map((i) => providerTarget(i, wd(i))),
                storeRoot: settings.store.root,
                command: commandOf(ctx.instances),
                platform: terraformPlatform(process.platform, process.arch),
                cliConfig: ctx.cliConfig,
            }, { exec: ports.exec, log: ports.log, env: ctx.env });
            if (!prepared.cliConfigFile)
                return pluginCachePolicy(ctx);
            return {
                env: prepared.env,
                serializeInits: false,
                notes: [],
                envFor: (i) => prepared.envFor(wd(i)),
                gateFor: (i) => (init) => prepared.aroundInit(wd(i), init),
                providers: prepared.stats,
            };
        }
        catch (e) {
            ports.log.warn(`provider store off for this run: ${e.message}`);
            return pluginCachePolicy(ctx);
        }
    };
}

;// CONCATENATED MODULE: ./src/app/cloud-values.ts

/** Passes before giving up (each value found may name another key to read). */
const MAX_PASSES = 5;
/** `resolve()` (a selection, one instance) with the `atmos.Store` values it needs read first, when the project reads values. */
async function resolveWithValues(project, resolve, log) {
    const values = project.values;
    if (!values)
        return resolve();
    // Instances resolved before, outside a reading resolution, with values not read: resolved again.
    project.stacks.forgetIncomplete();
    for (let pass = 1;; pass++) {
        let result;
        let failure;
        let failed = false;
        try {
            result = values.collect(resolve);
        }
        catch (e) {
            // A pass that lacked values may fail where the next will not (a template over a value not read yet).
            failed = true;
            failure = e;
        }
        if (!values.hasPending) {
            if (failed)
                throw failure;
            return result;
        }
        if (pass === MAX_PASSES)
            throw new util_errors/* AtmosError */.f7(`store values still missing after ${MAX_PASSES} passes: a chain of values naming other keys is too long`);
        const before = { ...values.stats };
        await values.fetchPending();
        log?.info(`read ${values.stats.keys - before.keys} value(s) from stores in ${values.stats.apiCalls - before.apiCalls} call(s)`);
        project.stacks.forgetIncomplete();
    }
}

;// CONCATENATED MODULE: ./src/terraform/read-workdir.ts
/**
 * The workdir of an instance whose outputs or state another instance reads with terraform
 * (`!terraform.output`, `atmos.Component … .outputs`, `terraform state pull`), where this run did
 * not run it: a plan leg in its own CI job has only its own instance on disk. The runner provisions
 * the read instance's workdir as for any run (the provider store makes its providers cheap), and
 * this module initialises it for reading only: its generated files but the varfile, then
 * `terraform init -input=false -lock=false` in the default workspace, so that terraform reaches
 * the state with the backend's own login. What init may touch is local to the workdir
 * (`.terraform/`, a lock file, the init record); it never writes the read instance's state: no
 * apply, no `workspace new` (the workspace is chosen with TF_WORKSPACE by the read itself), no
 * state push, no lock taken (docs/stores.md, "Outputs from any job").
 */









/** Initialises `req.workdir` for reading `req.instance`'s outputs or state; nothing when it is initialised with the same backend. */
async function initForRead(req, ports) {
    const i = req.instance;
    // The varfile is for plan and apply: the reader needs none of the read instance's inputs (some may be known at run time only).
    const files = generatedFiles((0,stacks_instance/* withSections */.VU)(i, { vars: {} }, {}), {
        autoGenerateBackendFile: req.settings.autoGenerateBackendFile,
        autoGenerateFiles: req.settings.autoGenerateFiles,
    });
    const written = await writeGeneratedFiles(req.workdir, files.filter((f) => f.kind !== 'varfile'));
    const backendFile = written.find((w) => w.kind === 'backend')?.path;
    const initialised = external_node_fs_default().existsSync(external_node_path_default().join(req.workdir, '.terraform'));
    const reconfigure = req.reprovisioned || initNeedsReconfigure(req.workdir, backendFile);
    if (initialised && !reconfigure)
        return;
    const { env } = terraformEnv({ userEnv: req.env, componentEnv: i.env, parallel: false });
    // Init in the default workspace: with TF_WORKSPACE set, init creates that workspace when it is missing.
    delete env.TF_WORKSPACE;
    const tf = terraformProcess(ports.exec, ports.log, {
        command: i.command || 'terraform',
        cwd: req.workdir,
        env,
        signal: req.signal,
        where: `component ${i.component} in stack ${i.stack}`,
    });
    ports.log.info(`initialising the workdir of ${(0,identity/* displayName */.QC)(i)} to read it (init only: its state is not changed)`);
    const run = () => tf.run(initArgs({ reconfigure, noLock: true }));
    const r = await (req.initGate ? req.initGate(run) : run());
    if (r.code !== 0)
        throw new util_errors/* InstanceError */.i2(`initialising the workdir of ${(0,identity/* displayName */.QC)(i)} to read it failed: ${terraformError(r, 'init')}`);
    await recordInit(req.workdir, backendFile);
}

;// CONCATENATED MODULE: ./src/app/run-reads.ts









/** How `reader` finds an instance it reads: in its own manifest first, with the store values its templates read. */
function finder(project, reader, log) {
    return (component, stack) => resolveWithValues(project, () => project.stacks.instance(component, stack, { manifest: reader.stackFilePath }), log);
}
/** Reads every store key `instances` read, in one batch per store (a no-op where the project reads no values). */
async function readRunStoreKeys(project, instances, log) {
    const values = project.values;
    if (values)
        await readStoreKeys(values, storeKeysOf(instances, values), log);
}
const localState = (i) => i.backendType === '' || i.backendType === 'local';
/** Whether terraform must read `target`'s outputs (`way`) in a workdir this run provisions for it. */
function readsInOwnWorkdir(target, way, running) {
    if (running.has((0,identity/* instanceKey */.pA)(target)) || localState(target))
        return false;
    if (way === 'output')
        return true;
    try {
        return stateObject(target) === undefined;
    }
    catch {
        return false;
    }
}
/**
 * The instances whose workdirs `readers` need initialised here to read them (their providers are
 * prepared with the run's). One that cannot be found is left to its reader, which reports it.
 */
async function readInitTargets(project, readers, running, log) {
    const out = new Map();
    for (const reader of readers) {
        const find = finder(project, reader, log);
        for (const { read } of reader.reads) {
            if (!(0,deferred/* isOutputRead */.a8)(read))
                continue;
            const { component, stack, way } = (0,deferred/* readTarget */._E)(read);
            const target = await find(component, stack).catch(() => undefined);
            if (target && readsInOwnWorkdir(target, way, running))
                out.set((0,identity/* instanceKey */.pA)(target), target);
        }
    }
    return [...out.values()];
}
/** The run's `workdirToRead`: where terraform reads an instance; those of other jobs made ready once per run. */
function readWorkdirs(s, ports) {
    const ran = new Map();
    const ready = new Map();
    const base = s.project.config.basePath;
    const prepare = async (target, log) => {
        // What init needs of it (backend, env, providers, generated files) with its own reads filled in.
        const filled = await resolveOutputReferences(target, s.context(target, log), ['backend', 'env', 'providers', 'passthrough']);
        const wd = await (0,provision/* provisionWorkdir */.Gg)(filled, s.provision, { ...ports, log });
        await initForRead({
            instance: filled,
            workdir: wd.terraformDir,
            reprovisioned: wd.changed,
            settings: s.terraform,
            env: s.prepared.envFor?.(filled) ?? s.prepared.env,
            initGate: s.prepared.gateFor?.(filled) ?? s.initGate,
            signal: s.signal,
        }, { exec: ports.exec, log });
        return wd.terraformDir;
    };
    return {
        ranHere: (instance, terraformDir) => void ran.set((0,identity/* instanceKey */.pA)(instance), terraformDir),
        workdirToRead: (target, log) => {
            const key = (0,identity/* instanceKey */.pA)(target);
            const here = ran.get(key);
            if (here)
                return Promise.resolve(here);
            // Local state is on this machine or nowhere; an instance this run runs is read where it ran.
            if (localState(target) || s.running.has(key))
                return Promise.resolve((0,paths/* buildWorkdirPath */.Sb)(base, target.stack, target.component));
            let p = ready.get(key);
            if (!p) {
                p = prepare(target, log);
                ready.set(key, p);
            }
            return p;
        },
    };
}

;// CONCATENATED MODULE: ./src/app/run.ts
/**
 * `plan`, `apply`, `destroy` over one instance or a selection: resolve, select, check the terraform
 * binary once, build the dependency DAG among the selected instances, and run each instance (its
 * workdir provisioned first, always) through the one scheduler. Shared by the CLI and the action.
 */




















/** Thrown inside the scheduler so that a failed instance counts as a failure for its dependents. */
class InstanceFailed extends Error {
    result;
    constructor(result) {
        super(result.reason);
        this.result = result;
    }
}
/** Runs the target's instances of `project` (resolved once, shared with the caller). */
async function runInstances(project, runSettings, ports) {
    const t0 = ports.clock.now().getTime();
    // A caller's own signals win; otherwise the entry point's cancellation (the action's) applies.
    const settings = {
        ...runSettings,
        signal: runSettings.signal ?? ports.cancellation?.signal,
        forceSignal: runSettings.forceSignal ?? ports.cancellation?.forceSignal,
    };
    const config = project.config;
    const t = settings.target;
    const one = (0,graph_select/* isOneInstance */.UX)(t);
    // Resolved with the atmos.Store values their templates read (the only values read while resolving).
    const planned = settings.planfiles && ((id) => settings.planfiles.has((0,identity/* instanceKey */.pA)(id)));
    const picked = await resolveWithValues(project, () => (0,graph_select/* selectedInstances */.aI)(project, t, planned || undefined), ports.log);
    const instances = planned ? picked.filter(planned) : picked;
    if (settings.planfiles && settings.action !== 'apply')
        throw new util_errors/* AtmosError */.f7('saved plans are applied with action apply only');
    if (settings.planfile && (!one || settings.action !== 'apply'))
        throw new util_errors/* AtmosError */.f7('--planfile applies the saved plan of one instance: apply <component> -s <stack> --planfile FILE');
    if (instances.length === 0) {
        const why = (0,graph_select/* selectionWarnings */.MX)(project, t);
        throw new util_errors/* AtmosError */.f7(`no deployable instance matches the selection${why.length ? `: ${why.join('; ')}` : ''}`);
    }
    (0,secrets/* refuseSecretNames */.$)(instances, ports.secrets);
    (0,paths/* assertDistinctWorkdirs */.sO)(instances);
    const confirmFor = approvalOf(settings, config.terraform.applyAutoApprove);
    for (const w of (0,graph_credentials/* authWarnings */.qp)(instances, config))
        ports.log.warn(w.message, w.where);
    // Before anything starts: a cycle, a missing binary. Edges only among the selected instances.
    const graph = (0,instance_graph/* instanceGraph */.g8)(instances, (i) => i.dependsOn, (i, d) => ports.log.info(`${(0,identity/* displayName */.QC)(i)} depends on ${(0,identity/* displayName */.QC)(d)}, which is not selected: not waiting for it`));
    // Destroy runs in reverse: a dependent is destroyed before what it depends on.
    const nodes = (0,instance_graph/* scheduleNodes */.rR)(settings.action === 'destroy' ? (0,instance_graph/* reversed */.TY)(graph) : graph);
    const runnable = instances.filter((i) => !refusal({ instance: i, action: settings.action, workdir: (0,paths/* buildWorkdirPath */.Sb)(config.basePath, i.stack, i.component) }));
    for (const command of new Set(runnable.map((i) => i.command || 'terraform'))) {
        const users = runnable.filter((i) => (i.command || 'terraform') === command);
        findTerraform(command, ports.env, project.cwd, users.length === 1 ? `component ${users[0].component} in stack ${users[0].stack}` : `${users.length} selected instances`);
    }
    const parallelism = Math.max(1, settings.parallelism ?? external_node_os_default().availableParallelism());
    const parallel = Math.min(parallelism, instances.length) > 1;
    const store = ports.envSettings.providerStore;
    const defaultPrepare = store.enabled && settings.providerStore !== false ? providerStorePrepareInit({ basePath: config.basePath, store }, ports) : pluginCachePolicy;
    const cliConfig = ports.envSettings.terraformCliConfig();
    const running = new Set(instances.map(identity/* instanceKey */.pA));
    // Instances read with terraform where this run does not run them get their providers with the run's.
    const initTargets = await readInitTargets(project, runnable, running, ports.log);
    const prepared = await (settings.prepareInit ?? defaultPrepare)({ parallel, env: ports.env, instances: [...runnable, ...initTargets], cliConfig });
    for (const n of prepared.notes)
        ports.log.info(n);
    const initGate = prepared.serializeInits ? oneAtATime() : undefined;
    const many = instances.length > 1;
    const instanceLog = ports.instanceLog ?? ((id) => (many ? (0,log/* prefixedLog */.Qc)(ports.log, (0,identity/* logPrefix */.JY)(id)) : ports.log));
    const provisionOpts = {
        basePath: config.basePath,
        defaultTtl: config.terraform.sourceTtl,
        vendorBasePath: config.vendorBasePath,
        generated: config.terraform.autoGenerateFiles ? generate_section/* generateFileNames */.Qd : undefined,
        gitTimeoutMs: ports.envSettings.gitTimeoutMs,
    };
    // Every store key the instances read, at once: one batch per store, each key once per run.
    await readRunStoreKeys(project, runnable, ports.log);
    const outputCache = new Map();
    const context = (reader, log) => ({
        // The instances read are resolved when first read (usually the reader's own manifest holds them).
        find: finder(project, reader, log),
        basePath: config.basePath,
        cache: outputCache,
        log,
        exec: ports.exec,
        env: ports.env,
        cloud: ports.cloud,
        values: project.values,
        workdirToRead: (target) => reads.workdirToRead(target, log),
    });
    const reads = readWorkdirs({ project, running, provision: provisionOpts, terraform: config.terraform, prepared, initGate, signal: settings.signal, context }, ports);
    const work = async (selected) => {
        const started = ports.clock.now().getTime();
        const log = instanceLog(selected);
        // Run-time values are read now: the instances whose outputs it reads (its dependencies) have run.
        let instance;
        try {
            instance = await resolveOutputReferences(selected, context(selected, log));
        }
        catch (e) {
            throw new InstanceFailed(failedResult(selected, settings.action, e.message, ports.clock.now().getTime() - started));
        }
        const request = {
            instance,
            action: settings.action,
            settings: config.terraform,
            env: prepared.envFor?.(instance) ?? prepared.env,
            planfile: settings.planfiles?.get((0,identity/* instanceKey */.pA)(instance)) ?? settings.planfile,
            parallel,
            signal: settings.signal,
            forceSignal: settings.forceSignal,
            initGate: prepared.gateFor?.(instance) ?? initGate,
            color: settings.color,
            secrets: project.secrets,
            confirm: confirmFor?.(instance),
        };
        let result;
        const workdir = (0,paths/* buildWorkdirPath */.Sb)(config.basePath, instance.stack, instance.component);
        if (refusal({ instance, action: settings.action, workdir })) {
            result = await runInstance({ ...request, workdir, reprovisioned: false }, { ...ports, log });
        }
        else {
            // Isolation is the point: every instance runs in its own workdir, whatever provision.workdir.enabled says.
            let wd;
            try {
                wd = await (0,provision/* provisionWorkdir */.Gg)(instance, provisionOpts, { ...ports, log, githubToken: ports.envSettings.githubToken });
            }
            catch (e) {
                throw new InstanceFailed(failedResult(instance, settings.action, `provision failed: ${e.message}`, ports.clock.now().getTime() - started));
            }
            reads.ranHere(instance, wd.terraformDir);
            const provisionMs = ports.clock.now().getTime() - started;
            result = await runInstance({ ...request, workdir: wd.terraformDir, reprovisioned: wd.changed }, { ...ports, log });
            result.steps.unshift({ step: 'provision', ms: provisionMs, code: 0 });
            result.durationMs += provisionMs;
        }
        if (result.status === 'failed')
            throw new InstanceFailed(result);
        return result;
    };
    const outcome = await (0,schedule/* schedule */._)(nodes, work, { parallelism, failFast: !settings.keepGoing, signal: settings.signal });
    const results = outcome.map((r, idx) => {
        const i = instances[idx];
        if (r.status === 'ok')
            return r.value;
        if (r.status === 'skipped')
            return { ...failedResult(i, settings.action, `${r.reason.replace(/^not started: /, '')}`, 0), status: 'skipped' };
        if (r.error instanceof InstanceFailed)
            return r.error.result;
        return failedResult(i, settings.action, r.error?.message ?? String(r.error), r.durationMs);
    });
    return {
        action: settings.action,
        // Nothing that leaves the run holds a secret value (reasons quote terraform; addresses may hold keys).
        results: results.map((r) => project.secrets.scrubValue(r)),
        parallelism,
        wallMs: ports.clock.now().getTime() - t0,
        cancelled: settings.signal?.aborted ?? false,
        ...(prepared.providers ? { providers: prepared.providers } : {}),
    };
}
/**
 * Whether this run's changes need approving, and how (docs/terraform.md, "Approval"): `apply` of
 * fresh plans (not a saved or reviewed one) unless `--auto-approve` or atmos.yaml's
 * `apply_auto_approve`; `destroy` unless `--auto-approve` (the setting covers apply only, as in
 * Atmos). With a terminal, each instance's plan is asked about once it shows changes, one question
 * at a time; without one, the run is refused before anything starts.
 */
function approvalOf(settings, applyAutoApprove) {
    const a = settings.approval;
    const action = settings.action;
    if (!a || a.autoApprove || action === 'plan' || settings.planfile || settings.planfiles)
        return undefined;
    if (action === 'apply' && applyAutoApprove)
        return undefined;
    const ask = a.ask;
    if (!ask) {
        throw new util_errors/* AtmosError */.f7(action === 'apply'
            ? 'apply asks before applying a plan nobody has reviewed, and there is no terminal to ask on: give --auto-approve, ' +
                'set components.terraform.apply_auto_approve: true in atmos.yaml, or apply a reviewed plan with --planfile'
            : 'destroy asks before destroying anything, and there is no terminal to ask on: give --auto-approve');
    }
    const oneQuestion = oneAtATime();
    return (i) => async (plan) => (await oneQuestion(() => ask(approvalQuestion(action, i, plan)))).trim() === 'yes';
}
function failedResult(i, action, reason, durationMs) {
    return { instance: (0,identity/* instanceKey */.pA)(i), stack: i.stack, component: i.component, action, status: 'failed', reason, durationMs, steps: [] };
}

;// CONCATENATED MODULE: ./src/app/plan-legs.ts
/**
 * What plan and apply share: picking the instances, fingerprinting what apply must find unchanged, and
 * running the runner (app/run.ts) with one log group per instance.
 */











/**
 * Runs `fn` with the provider store restored from the cache before and saved once after (only when
 * it changed). The store itself is the runner's default; a cache outage is a warning, never a failure.
 */
async function withProviderStore(project, run, ports, fn) {
    const store = ports.envSettings.providerStore;
    if (!ports.cache || !store.enabled)
        return fn();
    const cachePorts = { cache: ports.cache, log: ports.log };
    let kept;
    try {
        if ('problem' in store)
            throw new Error(store.problem);
        const settings = providerCacheSettingsFor(project, { ...run, storeRoot: store.root });
        kept = { settings, restored: await restoreProviderStore(settings, cachePorts) };
    }
    catch (e) {
        ports.log.warn(`provider store not restored from the cache (${e.message})`);
    }
    try {
        return await fn();
    }
    finally {
        if (kept)
            await saveProviderStore(kept.settings, kept.restored, cachePorts);
    }
}
function fingerprintCache(config) {
    return { repoRoot: repositoryRoot(config.basePath), code: new Map() };
}
/**
 * What apply must find unchanged (all but the terraform version, known once terraform ran): the
 * resolved configuration (describe shape, canonical JSON, with the checkout's location taken out so
 * another runner's path compares equal), the lock file, the code (component folder and the local
 * modules it calls) and the files generated for the instance.
 */
async function instanceFingerprint(instance, config, cache) {
    const text = (0,canonical_json/* canonicalJson */.d)((0,describe/* describeComponent */.BV)(instance, config)).split(JSON.stringify(config.basePath).slice(1, -1)).join('<base_path>');
    // The committed lock file provisioning seeds the workdir with: the per-instance one, else the component's.
    const perInstance = await (0,plan_store/* lockFileHash */.Mr)(external_node_path_default().join(instance.componentPath, (0,lock_seed/* instanceLockFileName */.UJ)(instance.stack, instance.component)));
    const files = codeFingerprint(instance.componentPath, { basePath: config.basePath, repoRoot: cache.repoRoot, cache: cache.code });
    let generated = [];
    try {
        generated = generatedFiles(instance, {
            autoGenerateBackendFile: config.terraform.autoGenerateBackendFile,
            autoGenerateFiles: config.terraform.autoGenerateFiles,
        });
    }
    catch {
        // The run reports why it cannot generate them; the configuration hash covers what they are made of.
    }
    for (const g of generated)
        files[`(generated) ${g.name}`] = (0,hash/* sha256Text */.f1)(g.content);
    return {
        configSha256: (0,hash/* sha256Text */.f1)(text),
        lockFileSha256: perInstance ?? (await (0,plan_store/* lockFileHash */.Mr)(external_node_path_default().join(instance.componentPath, lock_seed/* CANONICAL_LOCK */.Dn))),
        files,
    };
}
/**
 * Runs the runner with one log group per instance. One instance: its lines stream live inside
 * its group. Several: each instance's lines (the runner hands each instance its own log) are held
 * and written as one group per instance at the end, so parallel instances never interleave inside
 * a group; lines about the whole run pass straight through.
 */
async function runGrouped(project, settings, count, title, ports) {
    const group = ports.group ?? ((_t, fn) => fn());
    if (count <= 1)
        return group(title(settings.action), () => runInstances(project, settings, ports));
    const held = new Map();
    const instanceLog = (id) => {
        const key = (0,identity/* instanceKey */.pA)(id);
        const lines = held.get(key) ?? [];
        held.set(key, lines);
        const hold = (level) => (m) => void lines.push([level, m]);
        return { debug: hold('debug'), info: hold('info'), warn: hold('warn'), error: hold('error') };
    };
    const report = await runInstances(project, settings, { ...ports, instanceLog });
    for (const r of report.results) {
        const lines = held.get((0,identity/* instanceKey */.pA)(r)) ?? [];
        await group(`${settings.action} ${r.stack} / ${r.component}: ${r.status}`, async () => {
            for (const [level, m] of lines)
                ports.log[level](m);
        });
    }
    return report;
}

// EXTERNAL MODULE: ./src/report/comment.ts
var comment = __webpack_require__(54231);
// EXTERNAL MODULE: ./src/ports/github.ts
var github = __webpack_require__(7533);
// EXTERNAL MODULE: ./src/util/redact.ts
var redact = __webpack_require__(50767);
;// CONCATENATED MODULE: ./src/app/comment.ts
/**
 * `comment` (action `command: comment`): one sticky comment per pull request with every leg's
 * plan. Found again by its hidden marker and by its author, which must be the identity the token
 * acts as (all pages of the comment list are read), updated in place, created only when none
 * exists. A comment is a convenience: any API failure comes back as a warning for the caller to
 * print, never as an error.
 */



/** The author of comments posted with the workflow's GITHUB_TOKEN (an app installation token, which `GET /user` refuses). */
const WORKFLOW_TOKEN_AUTHOR = 'github-actions[bot]';
/**
 * Who comments with this token: the login `GET /user` names (a personal or app user token), else,
 * when GitHub refuses that call with 403 as it does for installation tokens, the workflow token's
 * `github-actions[bot]`.
 */
async function commentAuthor(api) {
    try {
        return await api.authenticatedLogin();
    }
    catch (e) {
        if (e instanceof github/* GitHubApiError */.O && e.status === 403)
            return WORKFLOW_TOKEN_AUTHOR;
        throw e;
    }
}
/** Our sticky comments: they start with the marker and were written by our identity (another bot's or a person's never is). */
function ownComments(comments, marker, author) {
    return comments.filter((c) => typeof c.body === 'string' && c.body.startsWith(marker) && c.user?.login === author);
}
async function upsertPlanComment(req, api) {
    const body = (0,redact/* redactSecrets */.fp)((0,comment/* commentBody */.I2)(req.entries, req), req.secrets ?? []);
    if (!api)
        return { status: 'skipped', warning: 'no github-token: the plan comment was not posted (the job summary has the plans)', body };
    const marker = (0,comment/* commentMarker */.Ql)(req.markerId);
    try {
        const author = await commentAuthor(api);
        const [existing] = ownComments(await api.listIssueComments(req.repo, req.issue), marker, author);
        if (existing) {
            if (existing.body === body)
                return { status: 'unchanged', id: existing.id, url: existing.html_url, body };
            const c = await api.updateIssueComment(req.repo, existing.id, body);
            return { status: 'updated', id: c.id, url: c.html_url, body };
        }
        const c = await api.createIssueComment(req.repo, req.issue, body);
        return { status: 'created', id: c.id, url: c.html_url, body };
    }
    catch (e) {
        const hint = e instanceof github/* GitHubApiError */.O && (e.status === 401 || e.status === 403)
            ? ' (the token needs pull-requests: write; on pull requests from forks it is read-only)'
            : '';
        return { status: 'skipped', warning: `the plan comment was not posted: ${e.message}${hint}`, body };
    }
}

;// CONCATENATED MODULE: ./src/app/review-record.ts




/**
 * The pull request a merge belongs to: the event's, or the one GitHub lists as merged by this
 * commit. Zero or several is an error: apply must know whose review it checks.
 */
async function mergedPullRequest(api, repo, mergeSha) {
    const merged = (await api.listCommitPulls(repo, mergeSha)).filter((p) => p.merged_at && p.merge_commit_sha === mergeSha);
    if (merged.length === 1)
        return merged[0].number;
    if (merged.length === 0) {
        throw new util_errors/* AtmosError */.f7(`no pull request was merged as commit ${mergeSha.slice(0, 12)}: run apply on the merge (or pass the input pull-request)`);
    }
    throw new util_errors/* AtmosError */.f7(`commit ${mergeSha.slice(0, 12)} merged pull requests ${merged.map((p) => `#${p.number}`).join(', ')}: pass the input pull-request`);
}
/** The review record of a pull request: our one sticky comment (marker and author both ours) and the hashes it carries. */
async function findReviewedPlans(api, req) {
    const author = await commentAuthor(api);
    const ours = ownComments(await api.listIssueComments(req.repo, req.pullRequest), (0,comment/* commentMarker */.Ql)(req.markerId), author);
    const where = `pull request #${req.pullRequest}`;
    if (ours.length === 0) {
        throw new util_errors/* AtmosError */.f7(`${where} has no plan comment by ${author}: nothing shows what was reviewed, so nothing is applied (did the comment job run on its last commit?)`);
    }
    if (ours.length > 1) {
        throw new util_errors/* AtmosError */.f7(`${where} has ${ours.length} plan comments by ${author} with the same marker: it is not clear which one was reviewed, so nothing is applied`);
    }
    const data = (0,comment/* parseReviewLine */._x)(ours[0].body);
    if (!data)
        throw new util_errors/* AtmosError */.f7(`the plan comment of ${where} carries no planfile hashes (it was written by an older release, or edited): plan again`);
    return { source: `the plan comment of ${where}${ours[0].html_url ? ` (${ours[0].html_url})` : ''}`, data };
}
/** Why `plan` must not be applied by the review record, or null. `all` is every plan of the directory (the digest covers them all). */
function reviewProblem(reviewed, plan, all) {
    const mine = plan.meta.planfileSha256;
    if ('plans' in reviewed.data) {
        const shown = reviewed.data.plans[(0,identity/* instanceKey */.pA)(plan.meta)];
        if (!shown)
            return `${reviewed.source} does not list this plan: it was not reviewed`;
        if (shown !== mine)
            return `its planfile (${mine?.slice(0, 12)}…) is not the one ${reviewed.source} showed (${shown.slice(0, 12)}…)`;
        return null;
    }
    const pairs = all.filter((p) => p.meta.planfileSha256).map((p) => [(0,identity/* instanceKey */.pA)(p.meta), p.meta.planfileSha256]);
    if (pairs.length !== reviewed.data.count || (0,comment/* reviewDigest */.Lr)(pairs) !== reviewed.data.digest) {
        return `the plans directory (${pairs.length} planfiles) is not the set ${reviewed.source} showed (${reviewed.data.count} planfiles, by digest)`;
    }
    return null;
}

;// CONCATENATED MODULE: ./src/app/apply.ts
/**
 * `apply` (action `command: apply`): apply exactly the plans that were reviewed. Nothing is planned
 * afresh. Every stored plan is checked first (the plans directory holds nothing but complete plan
 * folders; planfile SHA-256, seal, and the hash the pull request's comment showed; resolved
 * configuration, code, lock file and terraform version unchanged; instance still there and not
 * locked); if any check fails, nothing is applied and each difference is reported. Then the
 * planfiles are applied in dependency order.
 */
















/** Removes the scratch folders of earlier applies whose process is gone (killed before it could clean up). */
async function sweepApplyScratch(root) {
    let names;
    try {
        names = await external_node_fs_default().promises.readdir(root);
    }
    catch {
        return;
    }
    for (const name of names) {
        const pid = (0,paths/* applyScratchOwnerPid */.ng)(name);
        if (pid !== null && pid !== process.pid && !(0,lock/* processAlive */.FN)(pid))
            await external_node_fs_default().promises.rm(external_node_path_default().join(root, name), { recursive: true, force: true });
    }
}
/** The terraform version each distinct command reports (`version -json`), null when it cannot tell. */
async function terraformVersions(commands, cwd, ports) {
    const out = new Map();
    for (const command of new Set(commands)) {
        const r = await ports.exec.run(command, versionArgs(), { cwd, env: ports.env }).catch(() => undefined);
        out.set(command, r && r.code === 0 ? parseVersionJson(r.stdout) : null);
    }
    return out;
}
async function apply(project, settings, ports) {
    await sweepApplyScratch(settings.scratchRoot);
    const dir = (0,plan_store/* readPlansDir */.Cp)(settings.plansDir);
    (0,plan_store/* assertCompletePlans */.a0)(dir, settings.plansDir);
    let stored = dir.plans;
    if (stored.length === 0)
        throw new util_errors/* AtmosError */.f7(`no plans in ${settings.plansDir}: download the plan artifacts there first`);
    const config = project.config;
    if (settings.target) {
        const wanted = new Set((0,graph_select/* selectedInstances */.aI)(project, settings.target).map(identity/* instanceKey */.pA));
        stored = stored.filter((s) => wanted.has((0,identity/* instanceKey */.pA)(s.meta)));
        if (stored.length === 0)
            throw new util_errors/* AtmosError */.f7(`no plan in ${settings.plansDir} for the selected instance(s)`);
    }
    if (settings.only)
        stored = stored.filter((s) => settings.only.has((0,identity/* instanceKey */.pA)(s.meta)));
    const checks = [];
    const cache = fingerprintCache(config);
    for (const s of stored) {
        const check = { stored: s, problems: [] };
        checks.push(check);
        if (s.result.status === 'no-changes' || s.result.status === 'skipped')
            continue;
        if (s.result.status !== 'changes') {
            check.problems.push(`the plan ${s.result.status}: ${s.result.reason}`);
            continue;
        }
        try {
            const manifest = (0,graph_select/* selectionManifests */.Bo)(project, settings.target);
            check.instance = await resolveWithValues(project, () => project.stacks.instance(s.meta.component, s.meta.stack, { manifest }), ports.log);
        }
        catch (e) {
            check.problems.push(`the instance no longer resolves: ${e.message}`);
            continue;
        }
        if (check.instance.locked)
            check.problems.push('locked (metadata.locked: true): apply is refused');
        const review = settings.reviewed ? reviewProblem(settings.reviewed, s, dir.plans) : null;
        if (review)
            check.problems.push(review);
        try {
            check.planfile = (0,plan_seal/* loadPlanfile */.i)(s, settings.encryptionKey);
        }
        catch (e) {
            check.problems.push(e.message.replace(`${s.meta.instance}: `, ''));
        }
    }
    // The code and the terraform version: one `version` per distinct command, one walk per folder.
    const versions = await terraformVersions(checks.filter((c) => c.instance).map((c) => c.instance.command || 'terraform'), project.cwd, ports);
    for (const c of checks.filter((x) => x.instance)) {
        const now = { ...(await instanceFingerprint(c.instance, config, cache)), terraformVersion: versions.get(c.instance.command || 'terraform') ?? null };
        c.problems.push(...planDrift(c.stored.meta, now));
    }
    if (checks.some((c) => c.problems.length))
        return { checks, refused: true, results: [] };
    const todo = checks.filter((c) => c.instance && c.planfile);
    if (todo.length === 0)
        return { checks, refused: false, results: [] };
    // Exactly the verified bytes are applied: written into a private folder of this process, removed
    // afterwards on every path (a killed process's folder is swept by the next apply).
    const scratch = (0,paths/* applyScratchPath */.MF)(settings.scratchRoot, process.pid, (0,external_node_crypto_.randomBytes)(6).toString('hex'));
    const planfiles = new Map();
    try {
        await external_node_fs_default().promises.mkdir(scratch, { recursive: true, mode: 0o700 });
        for (const c of todo) {
            const file = external_node_path_default().join(scratch, `${external_node_path_default().basename(c.stored.folder)}.tfplan`);
            await (0,atomic_fs/* atomicWriteFile */.R)(file, c.planfile, 0o600);
            planfiles.set((0,identity/* instanceKey */.pA)(c.stored.meta), file);
        }
        const target = settings.target ?? { stacks: [], components: [] };
        const report = await withProviderStore(project, { target }, ports, () => runGrouped(project, { action: 'apply', target, planfiles, parallelism: settings.parallelism, keepGoing: true }, todo.length, () => `apply ${[...planfiles.keys()].join(', ')}`, ports));
        return { checks, refused: false, results: report.results };
    }
    finally {
        await external_node_fs_default().promises.rm(scratch, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/app/plan.ts
/** `plan` (action `command: plan`): plan the selected instances into the plans directory. */





/**
 * Plans every selected instance through the runner (dependency order, `parallelism` at a time,
 * keep-going); each gets its folder in the plans directory, a failed or skipped one too (without a
 * planfile), so the comment and apply see every instance.
 */
async function plan(project, settings, ports) {
    await (0,plan_store/* assertWritablePlansDir */.Ku)(settings.plansDir);
    const config = project.config;
    const selected = await resolveWithValues(project, () => (0,graph_select/* selectedInstances */.aI)(project, settings.target), ports.log);
    const instances = new Map(selected.map((i) => [(0,identity/* instanceKey */.pA)(i), i]));
    const report = await withProviderStore(project, settings, ports, () => runGrouped(project, { action: 'plan', target: settings.target, parallelism: settings.parallelism, keepGoing: true }, instances.size, () => `plan ${[...instances.keys()].join(', ')}`, ports));
    const out = [];
    const cache = fingerprintCache(config);
    for (const run of report.results) {
        const instance = instances.get(run.instance);
        const stored = await (0,plan_store/* writePlanFolder */.Rj)(settings.plansDir, {
            meta: {
                instance: run.instance,
                stack: run.stack,
                component: run.component,
                commitSha: settings.commitSha,
                ...(await instanceFingerprint(instance, config, cache)),
                terraformVersion: run.plan?.terraformVersion ?? null,
                stackFile: instance.stackFile,
                createdAt: ports.clock.now().toISOString(),
            },
            result: {
                instance: run.instance,
                stack: run.stack,
                component: run.component,
                status: run.status,
                reason: run.reason,
                plan: run.plan,
                durationMs: run.durationMs,
            },
            planfile: run.status === 'changes' || run.status === 'no-changes' ? run.planfile : undefined,
            encryptionKey: settings.encryptionKey,
        });
        out.push({ ...stored, stackFilePath: instance.stackFilePath });
    }
    return out;
}

// EXTERNAL MODULE: ./src/report/action-summary.ts
var action_summary = __webpack_require__(76075);
// EXTERNAL MODULE: ./src/util/escape.ts
var util_escape = __webpack_require__(55421);
// EXTERNAL MODULE: ./src/report/plan-report.ts
var plan_report = __webpack_require__(47930);
;// CONCATENATED MODULE: ./src/report/plan-summary.ts
/** Job summaries of plan, comment and apply: the same report as the comment, within GitHub's 1 MiB per step. Pure. */


/** The runner drops a step summary over 1 MiB (it does not truncate it); the margin leaves room for other lines. */
const SUMMARY_BUDGET = 1024 * 1024 - 16 * 1024;
/** `warnings` are shown under the title, each as a GitHub alert. */
function planSummary(entries, o) {
    return (0,plan_report/* renderPlanReport */.Q)(entries, {
        title: o.title,
        limit: SUMMARY_BUDGET,
        measure: (s) => Buffer.byteLength(s, 'utf8'),
        whereFull: 'The full plans are in the log of each instance (one log group per instance) and in the plan artifacts.',
        context: [...(o.warnings ?? []).flatMap((w) => ['> [!WARNING]', `> ${w}`, '']), ...(o.commitSha ? [`Commit \`${o.commitSha.slice(0, 12)}\``, ''] : [])],
    });
}
/** What an apply could not vouch for, one sentence each: the log shows them as warnings, the summary as alerts. */
function applyTrustWarnings(o) {
    const out = [];
    if (!o.sealed) {
        out.push('The plans are not authenticated: without encryption-key, anyone who can write the plan artifacts could have changed a planfile ' +
            'together with its metadata. Set the same encryption-key secret on plan and apply.');
    }
    if (!o.reviewChecked) {
        out.push("The planfiles were not checked against the pull request's plan comment, because apply has no github-token. " +
            'Give apply a github-token (pull-requests: read) so that only the planfiles reviewers saw are applied.');
    }
    return out;
}
/** The apply order across jobs, level by level (at most a few hundred rows: one job per instance). */
function applyLevelsSummary(levels) {
    if (levels.length === 0)
        return '### atmos-action apply order\n\nNo reviewed plan has changes: nothing to apply.\n';
    const rows = levels.flatMap((l, i) => l.map((e) => `| ${i + 1} | ${(0,util_escape/* markdownText */.p7)(e.stack)} | ${(0,util_escape/* markdownText */.p7)(e.component)} |`));
    return `### atmos-action apply order\n\n| level | stack | component |\n|---|---|---|\n${rows.join('\n')}\n`;
}
/** The `summary` output: per instance its counts and status (no addresses: outputs may be logged anywhere). */
function planSummaryOutput(entries) {
    return JSON.stringify(entries.map((e) => ({
        instance: e.instance,
        stack: e.stack,
        component: e.component,
        status: e.status,
        add: e.plan?.counts.add ?? 0,
        change: e.plan?.counts.change ?? 0,
        destroy: e.plan?.counts.destroy ?? 0,
        replace: e.plan?.counts.replace ?? 0,
    })));
}

// EXTERNAL MODULE: ./src/graph/matrix.ts
var matrix = __webpack_require__(97403);
;// CONCATENATED MODULE: ./src/app/tool-versions.ts
/**
 * The terraform / OpenTofu version a workflow installs for the tools the selected instances run.
 * In order: the input (`terraform-version`, `opentofu-version`); else the nearest version file,
 * looked for from the working directory up to the repository root:
 *   terraform: `.terraform-version` (tfenv), else a `terraform` line of `.tool-versions` (asdf, mise)
 *   OpenTofu:  `.opentofu-version` (tofuenv, setup-opentofu), else an `opentofu` line of `.tool-versions`
 * A tool the instances need with no version anywhere is an error naming both ways to set one: a
 * silent "latest" would change what a plan runs with from one day to the next.
 */



const VERSION_FILES = {
    terraform: { own: '.terraform-version', toolVersionsName: 'terraform', input: 'terraform-version', label: 'terraform' },
    tofu: { own: '.opentofu-version', toolVersionsName: 'opentofu', input: 'opentofu-version', label: 'OpenTofu' },
};
const TOOL_VERSIONS = '.tool-versions';
/** What setup-terraform and setup-opentofu accept: a version or a constraint (`1.11.4`, `~1.10`, `>=1.9`, `latest`), one token. */
const tool_versions_VERSION = /^[0-9A-Za-z.~^<>=*+-]{1,64}$/;
function checked(version, from) {
    if (!tool_versions_VERSION.test(version)) {
        throw new util_errors/* AtmosError */.f7(`${from}: ${JSON.stringify(version)} is not a version the setup actions take (e.g. 1.11.4, ~1.10, latest)`);
    }
    return { version, from };
}
/** The directories from `cwd` up to `root`, nearest first (only `root` when cwd is outside it). */
function upward(cwd, root) {
    const dirs = [];
    const rel = external_node_path_default().relative(root, cwd);
    if (rel.startsWith('..') || external_node_path_default().isAbsolute(rel))
        return [root];
    for (let d = cwd;; d = external_node_path_default().dirname(d)) {
        dirs.push(d);
        if (d === root || d === external_node_path_default().dirname(d))
            break;
    }
    return dirs;
}
function readText(file) {
    try {
        return external_node_fs_default().statSync(file).isFile() ? external_node_fs_default().readFileSync(file, 'utf8') : undefined;
    }
    catch {
        return undefined;
    }
}
/** The version of `tool` in one directory's files, if any. */
function fromDirectory(dir, tool, root) {
    const names = VERSION_FILES[tool];
    const shown = (file) => external_node_path_default().relative(root, file) || file;
    const own = external_node_path_default().join(dir, names.own);
    const ownText = readText(own);
    if (ownText !== undefined) {
        const line = ownText.split(/\r?\n/).find((l) => l.trim() && !l.trim().startsWith('#'));
        if (line)
            return checked(line.trim(), shown(own));
    }
    const tv = external_node_path_default().join(dir, TOOL_VERSIONS);
    const lines = readText(tv)?.split(/\r?\n/) ?? [];
    for (const [i, raw] of lines.entries()) {
        const [name, version] = raw.replace(/#.*/, '').trim().split(/\s+/);
        if (name === names.toolVersionsName && version)
            return checked(version, `${shown(tv)}:${i + 1}`);
    }
    return undefined;
}
/**
 * The version to install for each tool in `needed`; `users` names an instance per tool for the
 * error when none is found.
 */
function toolVersions(needed, s) {
    const out = {};
    for (const [tool, user] of needed) {
        const names = VERSION_FILES[tool];
        const input = s.inputs[tool]?.trim();
        const found = input
            ? checked(input, `input ${names.input}`)
            : upward(s.cwd, s.root)
                .map((d) => fromDirectory(d, tool, s.root))
                .find(Boolean);
        if (!found) {
            throw new util_errors/* AtmosError */.f7(`${user} runs ${names.label}, but no ${names.label} version is set: set the input ${names.input}, or commit a ${names.own} file ` +
                `(or a "${names.toolVersionsName} <version>" line in ${TOOL_VERSIONS}) at the repository root`);
        }
        out[tool] = found;
    }
    return out;
}

;// CONCATENATED MODULE: ./src/app/find-plans.ts
/**
 * For apply after merge: which workflow run holds the plans reviewed on the pull request, and in
 * which order their instances must be applied when each gets its own job.
 */








/** Name prefix of the plan legs' artifacts (the reusable plan workflow names them `atmos-plans-<group>.<leg>`). */
const PLAN_ARTIFACT_PREFIX = 'atmos-plans-';
/** The artifact name prefix of a group's plans; without a group, every plan artifact. */
function planArtifactPrefix(group) {
    return group ? `${PLAN_ARTIFACT_PREFIX}${group}.` : PLAN_ARTIFACT_PREFIX;
}
/**
 * The newest successful pull_request run of the pull request's last commit that uploaded plan
 * artifacts. Plans of an older commit are never picked: what is applied must be what was merged.
 * Runs are matched to the pull request by number (another pull request with the same head commit
 * has runs too); when that cannot be told (no number given and runs of several pull requests, a
 * run listing several, or runs listing none: pull requests from forks), it refuses rather than guess.
 */
async function findReviewedPlanRun(api, req) {
    const prefix = planArtifactPrefix(req.group);
    const runs = await api.listWorkflowRuns(req.repo, { event: 'pull_request', status: 'success', head_sha: req.headSha }, 50);
    const withPlans = [];
    for (const run of runs) {
        const artifacts = (await api.listRunArtifacts(req.repo, run.id)).filter((a) => a.name.startsWith(prefix));
        if (artifacts.length)
            withPlans.push({ run, artifacts: artifacts.map((a) => a.name).sort(), expired: artifacts.some((a) => a.expired) });
    }
    const pr = req.pullRequest ? `pull request #${req.pullRequest}` : 'the pull request';
    const numbers = (r) => r.pull_requests.map((p) => p.number);
    const candidates = req.pullRequest === undefined ? withPlans : withPlans.filter((c) => numbers(c.run).includes(req.pullRequest));
    const owners = new Set(candidates.flatMap((c) => numbers(c.run)));
    const unknown = withPlans.filter((c) => numbers(c.run).length === 0);
    const ambiguous = (why) => new util_errors/* AtmosError */.f7(`the plans for commit ${req.headSha.slice(0, 12)} cannot be told apart: ${why}; pass the run to apply (plan-run-id) yourself`);
    if (candidates.length && owners.size > 1) {
        const prs = [...owners].sort((a, b) => a - b).map((n) => `#${n}`);
        throw ambiguous(`run(s) ${candidates.map((c) => c.run.id).join(', ')} belong to pull requests ${prs.join(', ')}`);
    }
    const chosen = candidates[0];
    if (chosen?.expired)
        throw new util_errors/* AtmosError */.f7(`the plan artifacts of run ${chosen.run.id} have expired: plan the pull request again`);
    if (chosen)
        return { runId: chosen.run.id, artifacts: chosen.artifacts };
    if (unknown.length)
        throw ambiguous(`run(s) ${unknown.map((c) => c.run.id).join(', ')} name no pull request (from a fork?)`);
    throw new util_errors/* AtmosError */.f7(`no successful plan run with ${prefix}* artifacts for the last commit ${req.headSha.slice(0, 12)} of ${pr}: nothing reviewed to apply`);
}
/**
 * The instances with changes in the plans directory, in dependency levels: level n holds the
 * instances whose dependencies (within the set) are all in levels before it. One job per instance,
 * one matrix per level, each level's job waiting for the previous one: that is how the order is kept
 * across jobs.
 */
function applyLevels(project, settings) {
    const selected = settings.target ? new Set((0,graph_select/* selectedInstances */.aI)(project, settings.target).map(identity/* instanceKey */.pA)) : undefined;
    const manifest = (0,graph_select/* selectionManifests */.Bo)(project, settings.target);
    const resolved = new Map();
    // Only the instances with changes are resolved (and what they read), each once.
    const instanceOf = (id) => {
        const key = (0,identity/* instanceKey */.pA)(id);
        if (!resolved.has(key)) {
            try {
                resolved.set(key, project.stacks.instance(id.component, id.stack, { manifest }));
            }
            catch {
                // An instance that no longer resolves: its apply job says so (the apply refuses it).
                resolved.set(key, undefined);
            }
        }
        return resolved.get(key);
    };
    const dir = (0,plan_store/* readPlansDir */.Cp)(settings.plansDir);
    (0,plan_store/* assertCompletePlans */.a0)(dir, settings.plansDir);
    // The matrix's rule (decision 40): a level entry names a manifest only when it alone defines the instance.
    const soleManifest = dir.plans.length ? (0,matrix/* soleManifestRule */.x5)(project.stacks.instanceNames()) : () => false;
    const todo = dir.plans
        .filter((p) => p.result.status === 'changes' && (!selected || selected.has((0,identity/* instanceKey */.pA)(p.meta))))
        .map((p) => {
        const leg = { stack: p.meta.stack, component: p.meta.component, instance: (0,identity/* instanceKey */.pA)(p.meta), manifest: '', tool: 'terraform' };
        const instance = instanceOf(p.meta);
        if (instance) {
            const credentials = (0,graph_credentials/* instanceCredentials */.Un)(instance);
            leg.manifest = (0,matrix/* entryManifest */.Ae)(instance, project.cwd, soleManifest);
            leg.tool = (0,tool/* toolOf */.w)(instance.command);
            if (credentials.roleApply)
                leg.role_apply = credentials.roleApply;
            if (credentials.region)
                leg.region = credentials.region;
        }
        return leg;
    });
    // However deep: the reusable apply workflow runs the first levels as one job per instance and
    // the rest in one job, in order (the apply command's from-level).
    return (0,instance_graph/* graphLevels */.sJ)((0,instance_graph/* instanceGraph */.g8)(todo, (leg) => instanceOf(leg)?.dependsOn ?? []));
}

;// CONCATENATED MODULE: ./src/action/legs.ts
/** The action's plan, comment and apply commands: typed inputs and ports in, outputs through the ports. */















function plansDirOf(raw, ports) {
    return raw ? external_node_path_default().resolve(ports.workspace, raw) : (0,paths/* defaultPlansDir */.B)(ports.github.runnerTemp);
}
function entryOf(p) {
    return { ...p.result, planfileSha256: p.meta.planfileSha256 };
}
/** Every entry of the plans directory for the comment: plans as they are, anything else as a failed row naming it. */
function dirEntries(dir) {
    const broken = dir.problems.map((p) => {
        const stack = p.stack ?? '?';
        const component = p.component ?? p.entry;
        return { instance: (0,identity/* instanceKey */.pA)({ stack, component }), stack, component, status: 'failed', reason: `${p.entry}: ${p.problem}` };
    });
    return [...dir.plans.map(entryOf), ...broken].sort((a, b) => (a.instance < b.instance ? -1 : a.instance > b.instance ? 1 : 0));
}
/** GitHub shows at most 10 error annotations per step; the rest are counted in one line. */
const MAX_ANNOTATIONS = 9;
/** One annotation per failed instance, on its stack manifest when known. Returns how many failed. */
function annotateFailures(entries, verb, ports, placeOf) {
    const failed = entries.filter((e) => e.status === 'failed');
    for (const e of failed.slice(0, MAX_ANNOTATIONS)) {
        const place = placeOf((0,identity/* instanceKey */.pA)(e));
        ports.annotate(new util_errors/* AtmosError */.f7(`${verb} ${e.stack}/${e.component}: ${e.reason}`, { file: place?.file, line: place?.line, kind: 'instance' }));
    }
    if (failed.length > MAX_ANNOTATIONS) {
        ports.annotate(new util_errors/* AtmosError */.f7(`${failed.length - MAX_ANNOTATIONS} more instance(s) failed: see the job summary`, { kind: 'instance' }));
    }
    return failed.length;
}
async function runPlan(inputs, project, ports) {
    const plansDir = plansDirOf(inputs.plansDir, ports);
    const stored = await plan(project, { target: inputs.target, plansDir, parallelism: inputs.parallelism, commitSha: ports.github.sha ?? '', encryptionKey: inputs.encryptionKey }, ports);
    const entries = stored.map(entryOf);
    ports.setOutput('plans-dir', plansDir);
    ports.setOutput('has-changes', String(entries.some((e) => e.status === 'changes')));
    ports.setOutput('summary', planSummaryOutput(entries));
    ports.summary(planSummary(entries, { title: 'atmos-action plan', commitSha: ports.github.sha }));
    ports.log.info(`${entries.length} instance(s) planned into ${plansDir}${inputs.encryptionKey ? ' (planfiles encrypted)' : ''}`);
    return (annotateFailures(entries, 'plan', ports, placesOf(project, stored.map((p) => ({ stored: p, instance: { component: p.meta.component, stackFilePath: p.stackFilePath } })))) === 0);
}
async function runComment(inputs, ports) {
    const plansDir = plansDirOf(inputs.plansDir, ports);
    const entries = dirEntries((0,plan_store/* readPlansDir */.Cp)(plansDir));
    if (entries.length === 0)
        ports.log.warn(`no plans in ${plansDir}: download every plan leg's artifact there first`);
    const issue = inputs.pullRequest ?? ports.github.pullRequest;
    ports.summary(planSummary(entries, { title: 'atmos-action plan', commitSha: ports.github.sha }));
    if (!issue || !ports.github.repository) {
        ports.log.info('not a pull request (and no pull-request input): no comment posted; the job summary has the plans');
        return true;
    }
    const outcome = await upsertPlanComment({
        repo: ports.github.repository,
        issue,
        entries,
        markerId: inputs.commentId,
        commitSha: ports.github.sha,
        runUrl: ports.github.runUrl,
        secrets: ports.secrets?.values() ?? [],
    }, inputs.githubToken ? ports.githubApi(inputs.githubToken) : undefined);
    if (outcome.status === 'skipped') {
        ports.log.warn(outcome.warning);
    }
    else {
        ports.log.info(`plan comment ${outcome.status}${outcome.url ? `: ${outcome.url}` : ''} (${outcome.body.length} characters)`);
        ports.setOutput('comment-id', String(outcome.id));
    }
    ports.setOutput('has-changes', String(entries.some((e) => e.status === 'changes')));
    return true;
}
/** The review record apply checks against, or undefined without a token (the caller then says the check was skipped). */
async function reviewRecord(inputs, ports) {
    if (!inputs.githubToken)
        return undefined;
    const repo = ports.github.repository;
    if (!repo)
        throw new util_errors/* AtmosError */.f7('apply with github-token checks the plans against the pull request: GITHUB_REPOSITORY is not set');
    const api = ports.githubApi(inputs.githubToken);
    const sha = ports.github.sha;
    try {
        let pullRequest = inputs.pullRequest ?? ports.github.pullRequest;
        if (pullRequest === undefined) {
            if (!sha)
                throw new util_errors/* AtmosError */.f7('apply with github-token needs the merged pull request: run it on the merge, or pass the input pull-request');
            pullRequest = await mergedPullRequest(api, repo, sha);
        }
        const reviewed = await findReviewedPlans(api, { repo, pullRequest, markerId: inputs.commentId });
        ports.log.info(`checking every planfile against ${reviewed.source}`);
        return reviewed;
    }
    catch (e) {
        if (e instanceof util_errors/* AtmosError */.f7)
            throw e;
        // Fail closed: without the record, nothing shows what was reviewed.
        throw new util_errors/* AtmosError */.f7(`the plan comment could not be read, so nothing is applied: ${e.message} (run again once the API answers)`, { cause: e });
    }
}
async function runApply(inputs, project, ports) {
    const plansDir = plansDirOf(inputs.plansDir, ports);
    const reviewed = await reviewRecord(inputs, ports);
    const warnings = applyTrustWarnings({ sealed: inputs.encryptionKey !== undefined, reviewChecked: reviewed !== undefined });
    for (const w of warnings)
        ports.log.warn(w);
    let only;
    if (inputs.fromLevel > 1) {
        // The levels before were applied by their own jobs; the same plans give the same levels.
        const levels = applyLevels(project, { plansDir, target: inputs.target });
        only = new Set(levels.slice(inputs.fromLevel - 1).flatMap((l) => l.map((leg) => leg.instance)));
        ports.log.info(`${only.size} instance(s) in dependency level(s) ${inputs.fromLevel}–${levels.length}, applied in order`);
        if (only.size === 0) {
            ports.setOutput('summary', '[]');
            ports.summary(`### atmos-action apply\n\nNothing at dependency level ${inputs.fromLevel} or deeper.\n`);
            return true;
        }
    }
    const outcome = await apply(project, {
        plansDir,
        target: inputs.target,
        parallelism: inputs.parallelism,
        encryptionKey: inputs.encryptionKey,
        only,
        scratchRoot: ports.github.runnerTemp,
        reviewed,
    }, ports);
    if (outcome.refused) {
        const bad = outcome.checks.filter((c) => c.problems.length);
        const entries = outcome.checks.map((c) => ({
            ...c.stored.result,
            status: c.problems.length ? 'failed' : c.stored.result.status,
            reason: c.problems.length ? `not applied: ${c.problems.join('; ')}` : c.stored.result.reason,
            planfileSha256: c.stored.meta.planfileSha256,
        }));
        annotateFailures(entries, 'apply refused for', ports, placesOf(project, bad));
        ports.summary(planSummary(entries, { title: 'atmos-action apply: refused, nothing applied', commitSha: ports.github.sha, warnings }));
        ports.setOutput('summary', planSummaryOutput(entries));
        ports.log.error(`nothing applied: ${bad.length} of ${outcome.checks.length} reviewed plan(s) no longer match (see the annotations)`);
        return false;
    }
    const byInstance = new Map(outcome.results.map((r) => [(0,identity/* instanceKey */.pA)(r), r]));
    const entries = outcome.checks.map((c) => {
        const r = byInstance.get((0,identity/* instanceKey */.pA)(c.stored.meta));
        return r
            ? { ...r, plan: r.plan ?? c.stored.result.plan, planfileSha256: c.stored.meta.planfileSha256 }
            : { ...entryOf(c.stored), reason: 'nothing to apply' };
    });
    ports.setOutput('summary', planSummaryOutput(entries));
    ports.summary(planSummary(entries, { title: 'atmos-action apply', commitSha: ports.github.sha, warnings }));
    return annotateFailures(entries, 'apply', ports, placesOf(project, outcome.checks)) === 0;
}
/** Where the instance of each plan is written (for the annotations of its failure), found only when asked. */
function placesOf(project, plans) {
    const byKey = new Map(plans.map((p) => [(0,identity/* instanceKey */.pA)(p.stored.meta), p.instance]));
    return (key) => {
        const instance = byKey.get(key);
        return instance?.stackFilePath ? project.stacks.placeOf(instance) : undefined;
    };
}
async function runFindPlans(inputs, ports) {
    const headSha = inputs.headSha ?? ports.github.headSha;
    if (!ports.github.repository || !headSha) {
        throw new util_errors/* AtmosError */.f7('command find-plans runs on a pull_request event (e.g. closed and merged), or needs the input head-sha');
    }
    const found = await findReviewedPlanRun(ports.githubApi(inputs.githubToken), {
        repo: ports.github.repository,
        headSha,
        pullRequest: ports.github.pullRequest,
        group: inputs.group,
    });
    ports.log.info(`the reviewed plans are in run ${found.runId}: ${found.artifacts.join(', ')}`);
    ports.setOutput('run-id', String(found.runId));
    ports.summary((0,action_summary/* reviewedPlansSummary */.Ud)({ ...found, headSha }));
    return true;
}
function runApplyMatrix(inputs, project, ports) {
    const levels = applyLevels(project, { plansDir: plansDirOf(inputs.plansDir, ports), target: inputs.target });
    const split = inputs.levelJobs ?? levels.length;
    const deeper = levels.slice(split).flat();
    // Checked before any output is set: a job that cannot get one set of credentials must not start.
    const shared = (0,graph_credentials/* sharedCredentials */.OL)(deeper.map((l) => ({ key: l.instance, role: l.role_apply, region: l.region })), { role: inputs.awsRole, region: inputs.awsRegion }, `the ${deeper.length} instance(s) of dependency levels ${split + 1}–${levels.length}`);
    if (inputs.toolVersions.resolve)
        setToolVersionOutputs(levels.flat(), inputs.toolVersions, project.cwd, ports);
    // A level with more instances than GitHub runs jobs in one matrix is packed (graph/pack.ts).
    const levelsJson = JSON.stringify(levels.slice(0, split).map((level) => ({ include: (0,matrix/* legsOf */.xi)(level, inputs.maxLegs) })));
    (0,matrix/* assertOutputFits */.qv)(levelsJson, levels.slice(0, split).flat().length, 'levels');
    ports.setOutput('levels', levelsJson);
    ports.setOutput('depth', String(levels.length));
    ports.setOutput('aws-role', shared.role ?? '');
    ports.setOutput('aws-region', shared.region ?? '');
    ports.log.info(`${levels.flat().length} instance(s) to apply in ${levels.length} level(s)` +
        (deeper.length ? `: levels 1–${split} one job per instance, levels ${split + 1}–${levels.length} (${deeper.length}) in one job, in order` : ''));
    ports.summary(applyLevelsSummary(levels));
    return true;
}
/** Outputs terraform-version / opentofu-version: the version of each tool the instances run, '' for a tool none runs. */
function setToolVersionOutputs(instances, inputs, cwd, ports) {
    const needed = new Map();
    for (const i of instances)
        if (!needed.has(i.tool))
            needed.set(i.tool, `component ${i.component} in stack ${i.stack}`);
    const found = toolVersions(needed, { cwd, root: ports.workspace, inputs: { terraform: inputs.terraform, tofu: inputs.tofu } });
    for (const [tool, v] of Object.entries(found))
        ports.log.info(`${VERSION_FILES[tool].label} ${v.version} (from ${v.from})`);
    ports.setOutput('terraform-version', found.terraform?.version ?? '');
    ports.setOutput('opentofu-version', found.tofu?.version ?? '');
}


/***/ }),

/***/ 54231:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   I2: () => (/* binding */ commentBody),
/* harmony export */   Lr: () => (/* binding */ reviewDigest),
/* harmony export */   Ql: () => (/* binding */ commentMarker),
/* harmony export */   W$: () => (/* binding */ COMMENT_LIMIT),
/* harmony export */   _x: () => (/* binding */ parseReviewLine)
/* harmony export */ });
/* unused harmony export reviewLine */
/* harmony import */ var _util_canonical_json_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(71989);
/* harmony import */ var _util_escape_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(55421);
/* harmony import */ var _workdir_hash_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(27106);
/* harmony import */ var _plan_report_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(47930);
/**
 * The sticky pull-request comment: one per pull request, found again by its hidden marker, and the
 * review record apply checks planfiles against: the full SHA-256 of every planfile it showed, in a
 * hidden HTML comment. Pure.
 */




/** GitHub refuses a comment body over 65,536 characters (422). */
const COMMENT_LIMIT = 65_536;
/**
 * Kept below the limit: GitHub does not say whether it counts code points, UTF-16 units or bytes;
 * UTF-16 length is never below the code-point count, and the margin covers the rest.
 */
const BUDGET = COMMENT_LIMIT - 1_024;
/** The per-planfile list may take this share of the budget; past it, the comment carries one digest over all of them. */
const REVIEW_LIST_BUDGET = BUDGET / 4;
/** The hidden marker; `id` separates several sticky comments on one pull request (e.g. one per workflow). */
function commentMarker(id = 'plan') {
    return `<!-- atmos-action:${id.replace(/[^A-Za-z0-9._/-]/g, '_')} -->`;
}
const REVIEW_PREFIX = '<!-- atmos-action-review ';
/** One SHA-256 over every (instance, planfile SHA-256) pair, for comments whose list would not fit. */
function reviewDigest(pairs) {
    return (0,_workdir_hash_js__WEBPACK_IMPORTED_MODULE_1__/* .sha256Text */ .f1)((0,_util_canonical_json_js__WEBPACK_IMPORTED_MODULE_3__/* .canonicalJson */ .d)([...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
/** The hidden review line for these entries: every planfile's hash, or the digest when the list is too long. */
function reviewLine(entries) {
    const pairs = entries.filter((e) => e.planfileSha256).map((e) => [e.instance, e.planfileSha256]);
    const listed = `${REVIEW_PREFIX}${(0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .hiddenJson */ .jc)({ v: 1, plans: Object.fromEntries(pairs) })} -->`;
    if (listed.length <= REVIEW_LIST_BUDGET)
        return listed;
    return `${REVIEW_PREFIX}${(0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .hiddenJson */ .jc)({ v: 1, digest: reviewDigest(pairs), count: pairs.length })} -->`;
}
/** The review data of a comment body we wrote, or null when it carries none (or something we did not write). */
function parseReviewLine(body) {
    const line = body.split('\n').find((l) => l.startsWith(REVIEW_PREFIX) && l.endsWith(' -->'));
    if (!line)
        return null;
    try {
        const data = JSON.parse(line.slice(REVIEW_PREFIX.length, -' -->'.length));
        if (data.v !== 1)
            return null;
        const isHash = (h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);
        if (typeof data.plans === 'object' && data.plans !== null && Object.values(data.plans).every(isHash)) {
            return { v: 1, plans: data.plans };
        }
        if (isHash(data.digest) && typeof data.count === 'number')
            return { v: 1, digest: data.digest, count: data.count };
        return null;
    }
    catch {
        return null;
    }
}
function commentBody(entries, o) {
    const context = [];
    if (o.commitSha)
        context.push(`Commit \`${o.commitSha.slice(0, 12)}\`${o.runUrl ? ` · [workflow run](${o.runUrl})` : ''}`, '');
    return (0,_plan_report_js__WEBPACK_IMPORTED_MODULE_2__/* .renderPlanReport */ .Q)(entries, {
        title: 'atmos-action plan',
        marker: commentMarker(o.markerId),
        hidden: reviewLine(entries),
        limit: BUDGET,
        measure: (s) => s.length,
        whereFull: `The full plans are in the job summary and the log of each plan leg${o.runUrl ? ` of [this run](${o.runUrl})` : ''}, and in its plan artifacts.`,
        context,
    });
}


/***/ }),

/***/ 47930:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ renderPlanReport)
/* harmony export */ });
/* unused harmony export planLines */
/* harmony import */ var _util_escape_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(55421);

const STATUS_LABEL = {
    changes: '📝 changes',
    'no-changes': '✅ no changes',
    applied: '🚀 applied',
    destroyed: '🗑️ destroyed',
    failed: '❌ failed',
    skipped: '⏭️ skipped',
};
function counts(e) {
    if (!e.plan)
        return '–';
    const c = e.plan.counts;
    return `${c.add + c.replace} / ${c.change} / ${c.destroy + c.replace}`;
}
function row(e) {
    const hash = e.planfileSha256 ? `\`${e.planfileSha256.slice(0, 12)}\`` : '–';
    return `| ${(0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownText */ .p7)(e.stack)} | ${(0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownText */ .p7)(e.component)} | ${counts(e)} | ${STATUS_LABEL[e.status]} | ${hash} |`;
}
/** `+ addr` lines in diff notation: what the plan does, by address. */
function planLines(p) {
    const lines = [];
    for (const a of p.replace)
        lines.push(`! ${a} (replace)`);
    for (const a of p.add)
        lines.push(`+ ${a}`);
    for (const a of p.change)
        lines.push(`! ${a}`);
    for (const a of p.destroy)
        lines.push(`- ${a}`);
    for (const a of p.forget)
        lines.push(`# ${a} (forget: removed from state, not destroyed)`);
    for (const a of p.import)
        lines.push(`# ${a} (import)`);
    for (const m of p.moved)
        lines.push(`# ${m.from} → ${m.to} (moved)`);
    for (const o of p.outputs)
        lines.push(`${o.action === 'create' ? '+' : o.action === 'delete' ? '-' : '!'} output.${o.name}${o.sensitive ? ' (sensitive)' : ''}`);
    return lines;
}
/** The instance as it sits in a `<summary>` (HTML: Markdown escapes would not apply there). */
const summaryName = (e) => `${(0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .htmlText */ .js)(e.stack)} / ${(0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .htmlText */ .js)(e.component)}`;
function section(e) {
    const name = summaryName(e);
    if (e.status === 'failed') {
        const reason = (0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .codeText */ .ph)(e.reason);
        const f = (0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .fence */ .EU)(reason);
        return `<details open><summary>❌ <b>${name}</b>: failed</summary>\n\n${f}\n${reason}\n${f}\n\n</details>\n`;
    }
    if (!e.plan || !e.plan.hasChanges)
        return undefined;
    const body = (0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .codeText */ .ph)(planLines(e.plan).join('\n'));
    const f = (0,_util_escape_js__WEBPACK_IMPORTED_MODULE_0__/* .fence */ .EU)(body);
    const c = e.plan.counts;
    const what = `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy${c.replace ? `, ${c.replace} to replace` : ''}`;
    return `<details><summary><b>${name}</b>: ${what}</summary>\n\n${f}diff\n${body}\n${f}\n\n</details>\n`;
}
function stub(e) {
    return `<details><summary><b>${summaryName(e)}</b>: ${STATUS_LABEL[e.status]} (too large for this report)</summary></details>\n`;
}
/**
 * The report within `limit`: the table is kept whole when it fits; sections are cut largest first
 * (to a one-line stub, then dropped), and a note says where the full plans are.
 */
function renderPlanReport(entries, o) {
    const changed = entries.filter((e) => e.status === 'changes' || e.status === 'applied' || e.status === 'destroyed').length;
    const failed = entries.filter((e) => e.status === 'failed').length;
    const quiet = entries.filter((e) => e.status === 'no-changes').length;
    const head = [
        ...(o.marker ? [o.marker] : []),
        ...(o.hidden ? [o.hidden] : []),
        `### ${o.title}`,
        '',
        ...(o.context ?? []),
        `${entries.length} instance(s): ${changed} with changes, ${quiet} without, ${failed} failed.`,
        '',
    ].join('\n') + '\n';
    let rows = entries.map(row);
    const tableHead = '| stack | component | add / change / destroy | status | planfile |\n|---|---|---|---|---|\n';
    const sections = entries.map(section);
    const note = `\n> [!NOTE]\n> This report was shortened to fit. ${o.whereFull}\n`;
    const table = () => `${tableHead}${rows.join('\n')}\n\n`;
    const fixed = () => o.measure(head) + o.measure(table()) + o.measure(note);
    // The table itself too large (thousands of instances): keep the failures and changes first.
    if (fixed() > o.limit) {
        const order = entries.map((e, i) => i).sort((a, b) => rank(entries[a]) - rank(entries[b]) || a - b);
        const keep = new Set();
        let used = o.measure(head) + o.measure(tableHead) + o.measure(note) + 200;
        for (const i of order) {
            const n = o.measure(rows[i]) + 1;
            if (used + n > o.limit)
                break;
            used += n;
            keep.add(i);
        }
        const omitted = entries.length - keep.size;
        rows = rows.filter((_, i) => keep.has(i));
        rows.push(`| …and ${omitted} more instance(s) | | | | |`);
        return `${head}${table()}${note}`;
    }
    // Sections are joined by line breaks, and those count against the budget too.
    const sep = o.measure('\n');
    const shown = sections.slice();
    const sizes = shown.map((s) => (s ? o.measure(s) : 0));
    let present = shown.filter(Boolean).length;
    let sum = sizes.reduce((a, b) => a + b, 0);
    const total = () => fixed() + sum + Math.max(0, present - 1) * sep;
    if (total() - o.measure(note) <= o.limit)
        return `${head}${table()}${shown.filter(Boolean).join('\n')}`;
    const bySize = shown
        .map((s, i) => i)
        .filter((i) => shown[i])
        .sort((a, b) => sizes[b] - sizes[a]);
    for (const i of bySize) {
        if (total() <= o.limit)
            break;
        const short = stub(entries[i]);
        sum += o.measure(short) - sizes[i];
        sizes[i] = o.measure(short);
        shown[i] = short;
    }
    for (const i of bySize) {
        if (total() <= o.limit)
            break;
        sum -= sizes[i];
        present--;
        shown[i] = undefined;
    }
    return `${head}${table()}${shown.filter(Boolean).join('\n')}${note}`;
}
function rank(e) {
    return e.status === 'failed' ? 0 : e.status === 'changes' || e.status === 'applied' || e.status === 'destroyed' ? 1 : 2;
}


/***/ }),

/***/ 75367:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ sealContext),
/* harmony export */   i: () => (/* binding */ loadPlanfile)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _util_canonical_json_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(71989);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70017);
/* harmony import */ var _util_plan_crypto_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(56707);
/* harmony import */ var _util_paths_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(24964);
/* harmony import */ var _workdir_hash_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(27106);
/** A stored plan's seal: what it binds, and opening the planfile with every check. */






/**
 * What the seal binds besides the planfile (AES-GCM additional data): the instance, the planned
 * commit, the planfile's hash and the whole fingerprint. Edit any of it in plan-meta.json, or move
 * the sealed file to another instance's folder, and it no longer opens.
 */
function sealContext(meta) {
    const fingerprint = {
        configSha256: meta.configSha256,
        lockFileSha256: meta.lockFileSha256,
        files: meta.files,
        terraformVersion: meta.terraformVersion,
    };
    return (0,_util_canonical_json_js__WEBPACK_IMPORTED_MODULE_5__/* .canonicalJson */ .d)({
        format: meta.format,
        instance: meta.instance,
        stack: meta.stack,
        component: meta.component,
        commitSha: meta.commitSha,
        planfileSha256: meta.planfileSha256 ?? null,
        fingerprintSha256: (0,_workdir_hash_js__WEBPACK_IMPORTED_MODULE_4__/* .sha256Text */ .f1)((0,_util_canonical_json_js__WEBPACK_IMPORTED_MODULE_5__/* .canonicalJson */ .d)(fingerprint)),
    });
}
/**
 * The planfile exactly as terraform wrote it: decrypted when sealed, and checked against the
 * SHA-256 recorded at plan time. With a key, only a sealed planfile is accepted. Throws, saying
 * what is wrong, when it cannot be.
 */
function loadPlanfile(stored, encryptionKey) {
    const { meta, folder } = stored;
    if (!meta.planfileSha256)
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${meta.instance}: there is no planfile (the plan ${stored.result.status})`, { kind: 'instance' });
    let plain;
    if (encryptionKey && !meta.encrypted) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${meta.instance}: the plan is not sealed: with encryption-key set, apply takes sealed plans only (was it planned without the key?): plan again with the key`, { kind: 'instance' });
    }
    if (meta.encrypted) {
        if (!encryptionKey)
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${meta.instance}: the planfile is encrypted; set the encryption-key input`, { kind: 'instance' });
        const file = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .planFilePath */ .Lw)(folder, 'encryptedPlanfile');
        if (!node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(file))
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${meta.instance}: the encrypted planfile ${file} is missing`, { kind: 'instance' });
        plain = (0,_util_plan_crypto_js__WEBPACK_IMPORTED_MODULE_2__/* .openPlanfile */ .yS)(node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(file), encryptionKey, `the planfile of ${meta.instance}`, sealContext(meta));
    }
    else {
        const file = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .planFilePath */ .Lw)(folder, 'planfile');
        if (!node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(file))
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${meta.instance}: the planfile ${file} is missing`, { kind: 'instance' });
        plain = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(file);
    }
    const actual = (0,_workdir_hash_js__WEBPACK_IMPORTED_MODULE_4__/* .sha256Text */ .f1)(plain);
    if (actual !== meta.planfileSha256) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${meta.instance}: the planfile's SHA-256 is ${actual.slice(0, 12)}…, the plan recorded ${meta.planfileSha256.slice(0, 12)}…: it was modified after review`, { kind: 'instance' });
    }
    return plain;
}


/***/ }),

/***/ 16985:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Cp: () => (/* binding */ readPlansDir),
/* harmony export */   Ku: () => (/* binding */ assertWritablePlansDir),
/* harmony export */   Mr: () => (/* binding */ lockFileHash),
/* harmony export */   Rj: () => (/* binding */ writePlanFolder),
/* harmony export */   a0: () => (/* binding */ assertCompletePlans)
/* harmony export */ });
/* unused harmony export PLAN_FORMAT */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _stacks_identity_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(26583);
/* harmony import */ var _util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(55571);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(70017);
/* harmony import */ var _util_plan_crypto_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(56707);
/* harmony import */ var _plan_seal_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(75367);
/* harmony import */ var _util_paths_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(24964);
/* harmony import */ var _workdir_hash_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(27106);
/**
 * The plans directory: what a plan leg leaves for the comment job and for apply. One folder per
 * instance (name from util/paths.ts) holding
 *
 * - the planfile (`tfplan`, or `tfplan.enc` sealed with the encryption key), absent when the plan failed;
 * - `result.json`: the run's status, reason and {@link PlanResult} (addresses and counts, never a value);
 * - `plan-meta.json`: {@link PlanMetadata}, what apply checks before it applies the planfile.
 *
 * Every file is written atomically, the planfile last but one and the metadata last, so a folder
 * with metadata is complete.
 */









const PLAN_FORMAT = 2;
/** SHA-256 of a lock file, or null when there is none. */
async function lockFileHash(file) {
    try {
        return (0,_workdir_hash_js__WEBPACK_IMPORTED_MODULE_8__/* .sha256Text */ .f1)(await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.readFile(file));
    }
    catch (e) {
        // ENAMETOOLONG: a per-instance lock file name past the file-name limit cannot exist either.
        if (['ENOENT', 'ENAMETOOLONG'].includes(e.code ?? ''))
            return null;
        throw e;
    }
}
/** Makes sure plans can be stored in `plansDir` (created if missing) before anything is planned: a plan nobody can store is wasted. */
async function assertWritablePlansDir(plansDir) {
    const probe = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .plansDirProbePath */ .Do)(plansDir, process.pid);
    try {
        await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir(plansDir, { recursive: true });
        await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.writeFile(probe, '');
        await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(probe, { force: true });
    }
    catch (e) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .AtmosError */ .f7(`cannot store plans in ${plansDir}: ${e.message}; nothing was planned: choose a writable plans-dir`, { cause: e });
    }
}
/**
 * Writes one instance's folder (replacing an older one). `planfile` is the file terraform wrote
 * (absent for a failed plan); with `encryptionKey` it is stored sealed, bound to its metadata.
 */
async function writePlanFolder(plansDir, entry) {
    const folder = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFolderPath */ .Tv)(plansDir, entry.meta.stack, entry.meta.component);
    await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(folder, { recursive: true, force: true });
    await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir(folder, { recursive: true });
    const plain = entry.planfile ? await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.readFile(entry.planfile) : undefined;
    const meta = {
        format: PLAN_FORMAT,
        ...entry.meta,
        planfileSha256: plain ? (0,_workdir_hash_js__WEBPACK_IMPORTED_MODULE_8__/* .sha256Text */ .f1)(plain) : undefined,
        encrypted: Boolean(plain && entry.encryptionKey),
    };
    if (plain && entry.encryptionKey) {
        await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_3__/* .atomicWriteFile */ .R)((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFilePath */ .Lw)(folder, 'encryptedPlanfile'), (0,_util_plan_crypto_js__WEBPACK_IMPORTED_MODULE_5__/* .sealPlanfile */ .Hz)(plain, entry.encryptionKey, (0,_plan_seal_js__WEBPACK_IMPORTED_MODULE_6__/* .sealContext */ .V)(meta)), 0o600);
    }
    else if (plain) {
        await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_3__/* .atomicWriteFile */ .R)((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFilePath */ .Lw)(folder, 'planfile'), plain, 0o600);
    }
    await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_3__/* .atomicWriteFile */ .R)((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFilePath */ .Lw)(folder, 'result'), `${JSON.stringify(entry.result, null, 2)}\n`);
    await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_3__/* .atomicWriteFile */ .R)((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFilePath */ .Lw)(folder, 'meta'), `${JSON.stringify(meta, null, 2)}\n`);
    return { folder, meta, result: entry.result };
}
function readJson(file) {
    return JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(file, 'utf8'));
}
const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** What is wrong with a plan-meta.json, or null. */
function metaProblem(meta) {
    if (!isMap(meta))
        return 'plan-meta.json is not a JSON object';
    if (meta.format !== PLAN_FORMAT)
        return `plan-meta.json is in format ${String(meta.format)}; this release reads format ${PLAN_FORMAT}: plan again`;
    for (const k of ['instance', 'stack', 'component', 'commitSha', 'configSha256']) {
        if (typeof meta[k] !== 'string')
            return `plan-meta.json has no ${k}`;
    }
    if (!isMap(meta.files))
        return 'plan-meta.json has no files';
    return null;
}
/**
 * Every entry of the plans directory, sorted by instance: complete plan folders in `plans`, and in
 * `problems` each entry that is not one (a folder without metadata, a link, a file, unreadable
 * metadata, a folder named for another instance than the one inside, two folders for one
 * instance). A plan whose result.json cannot be read is kept, as failed. A missing directory is an
 * empty one.
 */
function readPlansDir(plansDir) {
    const out = { plans: [], problems: [] };
    if (!node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(plansDir))
        return out;
    const byInstance = new Map();
    for (const d of node_fs__WEBPACK_IMPORTED_MODULE_0___default().readdirSync(plansDir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        if ((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .isPlansDirProbe */ .M1)(d.name))
            continue;
        const folder = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(plansDir, d.name);
        const named = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .parsePlanFolderName */ .oR)(d.name) ?? {};
        const problem = (text, who = named) => out.problems.push({ entry: d.name, ...who, problem: text });
        if (d.isSymbolicLink()) {
            problem('is a symbolic link, not a plan folder: a plans directory holds only the folders plan jobs write');
            continue;
        }
        if (!d.isDirectory()) {
            problem('is not a plan folder: a plans directory holds only the folders plan jobs write');
            continue;
        }
        if (!node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFilePath */ .Lw)(folder, 'meta'))) {
            problem('has no plan-meta.json: its plan job did not finish, or the artifact was altered');
            continue;
        }
        let meta;
        try {
            meta = readJson((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFilePath */ .Lw)(folder, 'meta'));
        }
        catch (e) {
            problem(`plan-meta.json cannot be read: ${e.message}`);
            continue;
        }
        const bad = metaProblem(meta);
        if (bad) {
            problem(bad);
            continue;
        }
        const who = { stack: meta.stack, component: meta.component };
        if (meta.instance !== (0,_stacks_identity_js__WEBPACK_IMPORTED_MODULE_2__/* .instanceKey */ .pA)(meta) || safePlanFolderName(meta.stack, meta.component) !== d.name) {
            problem(`holds the plan of ${meta.instance}, whose folder is ${safePlanFolderName(meta.stack, meta.component) ?? '(none: invalid name)'}`, who);
            continue;
        }
        const twin = byInstance.get(meta.instance);
        if (twin) {
            problem(`is a second folder for ${meta.instance} (the other is ${node_path__WEBPACK_IMPORTED_MODULE_1___default().basename(twin.folder)})`, who);
            continue;
        }
        let result;
        try {
            result = readJson((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFilePath */ .Lw)(folder, 'result'));
            if (!isMap(result) || typeof result.status !== 'string')
                throw new Error('not a plan result');
        }
        catch (e) {
            result = {
                instance: meta.instance,
                stack: meta.stack,
                component: meta.component,
                status: 'failed',
                reason: `result.json cannot be read: ${e.message}`,
                durationMs: 0,
            };
        }
        // The result speaks for the instance its metadata names, whatever it says itself.
        const stored = { folder, meta, result: { ...result, instance: meta.instance, stack: meta.stack, component: meta.component } };
        byInstance.set(meta.instance, stored);
        out.plans.push(stored);
    }
    out.plans.sort((a, b) => (a.meta.instance < b.meta.instance ? -1 : a.meta.instance > b.meta.instance ? 1 : 0));
    return out;
}
/** Refuses a plans directory holding anything but complete plan folders: a reviewed plan must never drop out silently. */
function assertCompletePlans(dir, plansDir) {
    if (dir.problems.length === 0)
        return;
    const lines = dir.problems.map((p) => `  ${p.entry}: ${p.problem}`);
    throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .AtmosError */ .f7(`the plans directory ${plansDir} holds what is not a complete plan, so nothing is applied:\n${lines.join('\n')}`);
}
function safePlanFolderName(stack, component) {
    try {
        return (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_7__/* .planFolderName */ .ZO)(stack, component);
    }
    catch {
        return undefined;
    }
}


/***/ }),

/***/ 71989:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ canonicalJson)
/* harmony export */ });
/** Keys sorted at every depth: the same value always gives the same text. */
function canonicalJson(v) {
    return JSON.stringify(v, (_k, value) => value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.keys(value)
            .sort()
            .map((k) => [k, value[k]]))
        : value);
}


/***/ }),

/***/ 56707:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hz: () => (/* binding */ sealPlanfile),
/* harmony export */   yS: () => (/* binding */ openPlanfile)
/* harmony export */ });
/* unused harmony export isSealed */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70017);
/**
 * Planfile encryption: a planfile holds every value of the plan in clear text, secrets included, and
 * an artifact is readable by anyone with read access to the repository's Actions. With a key, the
 * planfile is sealed before it leaves the plan leg and opened again for apply.
 *
 * AES-256-GCM (authenticated: a wrong key and any changed byte fail the same check). The AES key is
 * derived from the user's secret with scrypt and a fresh random salt per file, because the secret
 * may be a passphrase rather than 32 random bytes. Layout, all of it authenticated (the header as
 * additional data):
 *
 *   "ATMOSPLAN" | version (1 byte) | salt (16) | iv (12) | ciphertext | tag (16)
 *
 * The seal also binds what the plan is for (version 2): the caller's `context` (the instance, the
 * planned commit and the configuration fingerprint, see terraform/plan-store.ts) is additional
 * authenticated data too, though not stored in the file. A sealed planfile moved to another
 * instance's folder, or opened with edited metadata, fails the same check as a changed byte.
 */


const MAGIC = Buffer.from('ATMOSPLAN', 'ascii');
const VERSION = 2;
const SALT = 16;
const IV = 12;
const TAG = 16;
const HEADER = MAGIC.length + 1 + SALT + IV;
/** scrypt cost: about 50 ms and 16 MiB per file, once per instance per leg. */
const SCRYPT = { N: 1 << 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
function deriveKey(secret, salt) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.scryptSync)(Buffer.from(secret, 'utf8'), salt, 32, SCRYPT);
}
/** True when `data` starts like a sealed planfile (any version). */
function isSealed(data) {
    return data.length >= MAGIC.length && Buffer.from(data.subarray(0, MAGIC.length)).equals(MAGIC);
}
/** Seals `plain`, binding `context` (any text; the caller gives the same text to open it). */
function sealPlanfile(plain, secret, context) {
    if (!secret)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7('the encryption key is empty');
    const salt = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(SALT);
    const iv = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(IV);
    const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), salt, iv]);
    const cipher = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createCipheriv)('aes-256-gcm', deriveKey(secret, salt), iv);
    cipher.setAAD(Buffer.concat([header, Buffer.from(context, 'utf8')]));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([header, body, cipher.getAuthTag()]);
}
/**
 * Opens a sealed planfile; `what` names it in errors. Throws on a wrong key, a changed byte, a
 * `context` other than the one it was sealed with, or an unknown format.
 */
function openPlanfile(sealed, secret, what, context) {
    const data = Buffer.from(sealed);
    if (!isSealed(data))
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${what} is not an encrypted planfile`, { kind: 'instance' });
    const version = data[MAGIC.length];
    if (version !== VERSION) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${what} was encrypted with format version ${version}, this release reads version ${VERSION}: plan again`, { kind: 'instance' });
    }
    if (data.length < HEADER + TAG)
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${what} is truncated`, { kind: 'instance' });
    const salt = data.subarray(MAGIC.length + 1, MAGIC.length + 1 + SALT);
    const iv = data.subarray(MAGIC.length + 1 + SALT, HEADER);
    const decipher = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createDecipheriv)('aes-256-gcm', deriveKey(secret, salt), iv);
    decipher.setAAD(Buffer.concat([data.subarray(0, HEADER), Buffer.from(context, 'utf8')]));
    decipher.setAuthTag(data.subarray(data.length - TAG));
    try {
        return Buffer.concat([decipher.update(data.subarray(HEADER, data.length - TAG)), decipher.final()]);
    }
    catch {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${what} cannot be decrypted: the encryption-key differs from the one it was planned with, or the file or its plan-meta.json was modified (or moved from another instance's folder)`, {
            kind: 'instance',
        });
    }
}


/***/ }),

/***/ 94074:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ul: () => (/* binding */ describeWorkdirFolder),
/* harmony export */   jD: () => (/* binding */ localState),
/* harmony export */   ue: () => (/* binding */ scanWorkdirTree)
/* harmony export */ });
/* unused harmony exports findWorkdirFolders, listWorkdirs, showWorkdir */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _lock_lock_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(82872);
/* harmony import */ var _util_paths_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(24964);
/* harmony import */ var _guard_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(95705);
/* harmony import */ var _metadata_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(27279);
/** `workdir list` / `workdir show`: what is on disk under `<base>/.workdir/terraform`, read without taking locks. */






/** Local state files/folders in a workdir (what clean refuses to delete without --force). */
function localState(workdir) {
    const found = [];
    for (const name of ['terraform.tfstate', 'terraform.tfstate.d', 'errored.tfstate']) {
        // lstat: a link by that name counts too (and is never followed).
        if (node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(workdir, name), { throwIfNoEntry: false }))
            found.push(name);
    }
    return found;
}
function isWorkdirFolder(abs) {
    return node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .atmosDir */ .sr)(abs)) || node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .legacyMetadataPath */ .m0)(abs));
}
/**
 * Every workdir under the root. Unlike Atmos (direct children only) this descends into folders
 * without metadata, because a `/` in a stack name makes a real sub-folder (`org/dev-vpc`).
 */
function findWorkdirFolders(basePath) {
    return scanWorkdirTree(basePath).workdirs;
}
/**
 * Workdirs under the root, and the symbolic links found where a workdir or a stack sub-folder
 * could be (never followed: they are reported, see guard.ts). Refuses a root reached through a link.
 */
function scanWorkdirTree(basePath) {
    const root = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .workdirRoot */ .by)(basePath);
    (0,_guard_js__WEBPACK_IMPORTED_MODULE_4__/* .guardStatePath */ .sx)(basePath, root, 'workdir root');
    const out = [];
    const links = [];
    const visit = (abs, rel, depth) => {
        let entries;
        try {
            entries = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readdirSync(abs, { withFileTypes: true });
        }
        catch {
            return;
        }
        for (const d of entries) {
            const childRel = rel ? `${rel}/${d.name}` : d.name;
            if (d.isSymbolicLink() && !d.name.startsWith('.'))
                links.push(childRel);
            if (!d.isDirectory() || d.name.startsWith('.'))
                continue;
            const childAbs = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(abs, d.name);
            if (isWorkdirFolder(childAbs))
                out.push(childRel);
            else if (depth < 16)
                visit(childAbs, childRel, depth + 1);
        }
    };
    visit(root, '', 0);
    return { workdirs: out.sort(), links: links.sort() };
}
function describeWorkdirFolder(basePath, name, staleMs) {
    const abs = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .workdirPathFromName */ .nY)(basePath, name);
    const read = (0,_metadata_js__WEBPACK_IMPORTED_MODULE_5__/* .readMetadata */ ._6)(abs);
    const m = read.ok ? read.metadata : {};
    const stack = m.stack ?? '';
    const component = m.component ?? '';
    // The lock key follows from the folder name, so a workdir without (or with forged) metadata is judged by its real lock.
    const st = (0,_lock_lock_js__WEBPACK_IMPORTED_MODULE_2__/* .lockStatus */ .oj)((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .workdirLockKeyFromName */ .MB)(basePath, name), { staleMs });
    const locked = st.held;
    const owner = st.owner ?? undefined;
    let mtime = '';
    try {
        mtime = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(abs).mtime.toISOString();
    }
    catch {
        /* vanished meanwhile */
    }
    const info = {
        name,
        component,
        stack,
        source: m.source ?? '',
        source_type: m.source_type ?? '',
        source_uri: m.source_uri || undefined,
        source_version: m.source_version || undefined,
        source_identity: m.source_identity || undefined,
        path: node_path__WEBPACK_IMPORTED_MODULE_1___default().posix.join(_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .WORKDIR_ROOT_POSIX */ .YD, name),
        absPath: abs,
        content_hash: m.content_hash || undefined,
        created_at: m.created_at ?? mtime,
        updated_at: m.updated_at ?? mtime,
        last_accessed: m.last_accessed ?? mtime,
        complete: node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .sentinelPath */ .gE)(abs)),
        local_state: localState(abs),
        locked,
        lock_owner: owner,
    };
    if (!read.ok)
        info.metadata_error = read.reason === 'missing' ? 'metadata missing' : `${read.file}: ${read.error}`;
    return info;
}
function listWorkdirs(basePath, opts = {}) {
    return findWorkdirFolders(basePath).map((name) => describeWorkdirFolder(basePath, name, opts.staleMs));
}
/** The workdir of one instance, or null when it has not been provisioned. */
function showWorkdir(basePath, stack, component, opts = {}) {
    const abs = buildWorkdirPath(basePath, stack, component);
    guardStatePath(basePath, abs, 'workdir');
    if (!fs.existsSync(abs))
        return null;
    const name = path.relative(workdirRoot(basePath), abs).split(path.sep).join('/');
    return describeWorkdirFolder(basePath, name, opts.staleMs);
}


/***/ })

};
