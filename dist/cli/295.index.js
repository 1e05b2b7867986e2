export const id = 295;
export const ids = [295];
export const modules = {

/***/ 86388:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   provision: () => (/* binding */ provision)
/* harmony export */ });
/* harmony import */ var _graph_select_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(96934);
/* harmony import */ var _terraform_generate_section_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(48876);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(70017);
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(84537);
/* harmony import */ var _util_paths_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(24964);
/* harmony import */ var _workdir_provision_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(41546);
/** `provision` (CLI `workdir provision`, action `command: provision`): create or refresh workdirs. */






/**
 * A named instance without workdirs enabled is an error (the user asked for that workdir; both
 * entry points fail, naming the setting), while a glob selection skips such instances and says so.
 * Per-instance failures do not throw: they come back in `outcomes`, the others still run.
 */
async function provision(project, settings, ports) {
    // The deploy path: abstract instances are never provisioned, so they are not resolved.
    const t = settings.target;
    for (const w of (0,_graph_select_js__WEBPACK_IMPORTED_MODULE_0__/* .selectionWarnings */ .MX)(project, t))
        ports.log.warn(w);
    const picked = (0,_graph_select_js__WEBPACK_IMPORTED_MODULE_0__/* .selectedInstances */ .aI)(project, t);
    (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_3__/* .refuseSecretNames */ .$)(picked, ports.secrets);
    const config = project.config;
    const enabled = picked.filter((i) => (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_4__/* .isWorkdirEnabled */ .sl)(i, settings.forceWorkdir));
    const notEnabled = picked.filter((i) => !(0,_util_paths_js__WEBPACK_IMPORTED_MODULE_4__/* .isWorkdirEnabled */ .sl)(i, settings.forceWorkdir));
    if ((0,_graph_select_js__WEBPACK_IMPORTED_MODULE_0__/* .isOneInstance */ .UX)(t) && notEnabled.length) {
        const i = notEnabled[0];
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`workdirs are not enabled for ${i.component} in stack ${i.stack}: set provision.workdir.enabled: true, or turn them on for this run (${settings.howToForce ?? 'CLI --workdir, action input workdir: true'})`);
    }
    const outcomes = await (0,_workdir_provision_js__WEBPACK_IMPORTED_MODULE_5__/* .provisionWorkdirs */ .vt)(enabled, {
        basePath: config.basePath,
        defaultTtl: config.terraform.sourceTtl,
        vendorBasePath: config.vendorBasePath,
        generated: config.terraform.autoGenerateFiles ? _terraform_generate_section_js__WEBPACK_IMPORTED_MODULE_1__/* .generateFileNames */ .Qd : undefined,
        parallelism: settings.parallelism,
        // The same deadline for the CLI and the action: ATMOS_ACTION_GIT_TIMEOUT is the one knob.
        gitTimeoutMs: ports.envSettings.gitTimeoutMs,
    }, { exec: ports.exec, log: ports.log, clock: ports.clock, env: ports.env, githubToken: ports.envSettings.githubToken });
    return { basePath: config.basePath, outcomes, notEnabled };
}


/***/ }),

/***/ 82872:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   FN: () => (/* binding */ processAlive),
/* harmony export */   XB: () => (/* binding */ LockTimeoutError),
/* harmony export */   kK: () => (/* binding */ withLock),
/* harmony export */   lM: () => (/* binding */ sentinelExists),
/* harmony export */   oj: () => (/* binding */ lockStatus),
/* harmony export */   qg: () => (/* binding */ writeSentinel),
/* harmony export */   sO: () => (/* binding */ clearSentinel)
/* harmony export */ });
/* unused harmony exports DEFAULT_STALE_MS, DEFAULT_WAIT_MS, lockDirFor, ensureDone */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(48161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var proper_lockfile__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(83648);
/* harmony import */ var proper_lockfile__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(proper_lockfile__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(55571);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(70017);
/**
 * Cross-process locks and "work finished" sentinels: the one place that knows how processes
 * coordinate on the filesystem. It knows nothing about workdirs, terraform or providers;
 * callers own the work and choose the lock and sentinel paths.
 *
 * Built on proper-lockfile (an atomic `mkdir` of `<key>.lock`, whose mtime the holder refreshes
 * every stale/2). A holder that dies (SIGKILL, OOM, runner cancelled) stops refreshing, so after
 * the stale window its lock is taken over. Waiting is bounded and always longer than the stale
 * window, so a dead holder can never make a waiter time out, while a live holder that really
 * hangs produces a clear error instead of a job stuck forever.
 */






const DEFAULT_STALE_MS = 30_000;
const DEFAULT_WAIT_MS = 10 * 60_000;
class LockTimeoutError extends _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .AtmosError */ .f7 {
    lockPath;
    owner;
    constructor(lockPath, owner, waitedMs) {
        super(`timed out after ${Math.round(waitedMs / 1000)}s waiting for the lock ${lockPath}` +
            (owner ? ` (held by pid ${owner.pid} on ${owner.host} since ${owner.since})` : '') +
            '; if no such process is running, delete the lock directory', { file: lockPath, kind: 'instance' });
        this.lockPath = lockPath;
        this.owner = owner;
        this.name = 'LockTimeoutError';
    }
}
/** The lock directory proper-lockfile creates for a key. */
function lockDirFor(key) {
    return `${node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(key)}.lock`;
}
function ownerFileFor(key) {
    return `${node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(key)}.owner.json`;
}
function readOwner(key) {
    try {
        const o = JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(ownerFileFor(key), 'utf8'));
        return typeof o.pid === 'number' ? o : null;
    }
    catch {
        return null;
    }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function normalise(opts) {
    const staleMs = Math.max(opts.staleMs ?? DEFAULT_STALE_MS, 2000);
    const waitMs = opts.waitMs ?? Math.max(DEFAULT_WAIT_MS, staleMs * 3);
    if (waitMs !== 0 && waitMs <= staleMs) {
        // A waiter that gives up before a dead holder's lock turns stale would fail jobs for no reason.
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .AtmosError */ .f7(`lock wait (${waitMs} ms) must be longer than the stale window (${staleMs} ms)`);
    }
    return { staleMs, waitMs };
}
/**
 * Runs `fn` while holding the cross-process lock `key` (any absolute path; `<key>.lock` is the lock
 * directory, `<key>.owner.json` says who holds it). The parent folder is created if needed.
 * Released on every path; if the lock was lost while `fn` ran (event loop blocked longer than the
 * stale window, or someone deleted it), the result is not trusted and an error is thrown.
 *
 * `waitMs: 0` tries once and throws LockTimeoutError immediately when the lock is held.
 */
async function withLock(key, fn, opts = {}) {
    const { staleMs, waitMs } = normalise(opts);
    const abs = node_path__WEBPACK_IMPORTED_MODULE_2___default().resolve(key);
    await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(abs), { recursive: true });
    let compromised = null;
    const start = Date.now();
    let delay = 20;
    let announced = false;
    let release;
    for (;;) {
        try {
            release = await proper_lockfile__WEBPACK_IMPORTED_MODULE_3___default().lock(abs, {
                realpath: false,
                stale: staleMs,
                lockfilePath: lockDirFor(abs),
                retries: 0,
                // The default throws from a timer and kills the process; record it and fail the work instead.
                onCompromised: (err) => void (compromised = err),
            });
            break;
        }
        catch (e) {
            const code = e.code;
            if (code === 'ENOENT') {
                // The parent folder vanished (e.g. a concurrent clean); recreate and retry.
                await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(abs), { recursive: true });
            }
            else if (code !== 'ELOCKED') {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .AtmosError */ .f7(`cannot take the lock ${lockDirFor(abs)}: ${e.message}`, { file: lockDirFor(abs), cause: e });
            }
            const waited = Date.now() - start;
            if (waited >= waitMs)
                throw new LockTimeoutError(lockDirFor(abs), readOwner(abs), waited);
            if (!announced) {
                // The holder writes its owner note right after taking the lock: give it a moment, so the
                // one "waiting for …" line can say who holds it.
                const owner = readOwner(abs);
                if (owner || waited >= 250) {
                    announced = true;
                    opts.onWait?.(owner);
                }
            }
            // Jittered back-off: short at first (a holder usually finishes quickly), capped so a takeover
            // after the stale window is noticed promptly.
            await sleep(Math.min(delay, waitMs - waited) * (0.75 + Math.random() * 0.5));
            delay = Math.min(delay * 2, 500);
        }
    }
    const owner = { pid: process.pid, host: node_os__WEBPACK_IMPORTED_MODULE_1___default().hostname(), since: new Date().toISOString() };
    try {
        await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_4__/* .atomicWriteFile */ .R)(ownerFileFor(abs), JSON.stringify(owner));
    }
    catch {
        // Owner info only improves messages; the lock itself is the mkdir.
    }
    let result;
    try {
        result = await fn();
    }
    finally {
        // Remove the owner note first (only if it is still ours), then the lock itself.
        const cur = readOwner(abs);
        if (cur && cur.pid === owner.pid && cur.host === owner.host && cur.since === owner.since) {
            await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(ownerFileFor(abs), { force: true }).catch(() => { });
        }
        await release().catch(() => {
            // ERELEASED: already released because compromised; reported below.
        });
    }
    if (compromised) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .AtmosError */ .f7(`the lock ${lockDirFor(abs)} was lost while the work ran (${compromised.message}); ` +
            'another process may have taken it over, so the result is not trusted; run again', { file: lockDirFor(abs) });
    }
    return result;
}
/** Whether someone holds `key` right now (a stale lock does not count as held). Takes no lock. */
function lockStatus(key, opts = {}) {
    const staleMs = Math.max(opts.staleMs ?? DEFAULT_STALE_MS, 2000);
    const lockDir = lockDirFor(key);
    let st;
    try {
        st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(lockDir);
    }
    catch {
        return { held: false, stale: false, owner: null, lockDir };
    }
    const stale = st.mtimeMs < Date.now() - staleMs;
    return { held: !stale, stale, owner: readOwner(key), lockDir };
}
/**
 * Whether a process with this pid runs on this machine (EPERM: it exists but belongs to someone
 * else). A zombie does not count: it has ended, and only waits for a parent that may never reap it
 * (an orphan of a killed process, under an init that does not reap, as in some containers).
 */
function processAlive(pid) {
    if (!Number.isInteger(pid) || pid <= 0)
        return false;
    try {
        process.kill(pid, 0);
    }
    catch (e) {
        return e.code === 'EPERM';
    }
    try {
        // Linux: the state is the field after the parenthesised command name.
        const stat = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
    }
    catch {
        return true; // no /proc (macOS): kill(0) is all there is
    }
}
// ─── sentinels ────────────────────────────────────────────────────────────────────────────────
/**
 * A sentinel is a small file whose presence means "the work under this lock finished". Callers
 * remove it before they start changing the artifact and write it (atomically) as the very last
 * step, so an artifact left half-done by a killed process has no sentinel and is redone, never
 * trusted.
 */
function sentinelExists(sentinelPath) {
    return node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(sentinelPath);
}
async function clearSentinel(sentinelPath) {
    await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(sentinelPath, { force: true });
}
async function writeSentinel(sentinelPath, info = {}) {
    await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(sentinelPath), { recursive: true });
    await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_4__/* .atomicWriteFile */ .R)(sentinelPath, JSON.stringify({ completed_at: new Date().toISOString(), pid: process.pid, ...info }));
}
/**
 * Do `work` at most once: the cheap path (sentinel present and `verify()` true) takes no lock;
 * otherwise take the lock, re-check (someone may have finished while we waited), clear the
 * sentinel, work, write the sentinel. If `work` throws, the sentinel stays absent.
 */
async function ensureDone(args) {
    const verified = async () => sentinelExists(args.sentinelPath) && (args.verify ? await args.verify() : true);
    if (await verified())
        return { didWork: false };
    return withLock(args.lockKey, async () => {
        if (await verified())
            return { didWork: false };
        await clearSentinel(args.sentinelPath);
        const result = await args.work();
        await writeSentinel(args.sentinelPath);
        return { didWork: true, result };
    }, args.lock);
}


/***/ }),

/***/ 55571:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ tempNameFor),
/* harmony export */   R: () => (/* binding */ atomicWriteFile)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70017);
/**
 * Atomic file writes: readers (other processes included) see the old content or the new, never a
 * partial file. The temp file sits beside the target so the rename stays on one filesystem.
 */




let tmpCounter = 0;
/** File names longer than this (bytes) get a hashed temp name: the suffix must never push a name past NAME_MAX (255). */
const LONG_NAME_BYTES = 180;
/**
 * A temp name beside `file` (same filesystem, so rename is atomic), unique per process and call.
 * A long name is replaced by a hash of it, so a file whose own name is near the limit can still be
 * replaced atomically (otherwise every later update of it would fail with ENAMETOOLONG).
 */
function tempNameFor(file) {
    const base = node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(file);
    const stem = Buffer.byteLength(base) > LONG_NAME_BYTES ? (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(base).digest('hex').slice(0, 32) : base;
    return node_path__WEBPACK_IMPORTED_MODULE_2___default().join(node_path__WEBPACK_IMPORTED_MODULE_2___default().dirname(file), `.${stem}.tmp-${process.pid}-${Date.now().toString(36)}-${tmpCounter++}`);
}
/** Writes `file` so readers see the old content or the new, never a partial file (temp + rename). */
async function atomicWriteFile(file, data, mode) {
    const tmp = tempNameFor(file);
    try {
        await node_fs__WEBPACK_IMPORTED_MODULE_1___default().promises.writeFile(tmp, data, mode === undefined ? undefined : { mode });
        await node_fs__WEBPACK_IMPORTED_MODULE_1___default().promises.rename(tmp, file);
    }
    catch (e) {
        await node_fs__WEBPACK_IMPORTED_MODULE_1___default().promises.rm(tmp, { force: true }).catch(() => { });
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AtmosError */ .f7(`cannot write ${file}: ${e.message}`, { file, cause: e, kind: 'instance' });
    }
}


/***/ }),

/***/ 95705:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   TV: () => (/* binding */ repairAtmosDir),
/* harmony export */   sx: () => (/* binding */ guardStatePath),
/* harmony export */   xH: () => (/* binding */ ensureStateDir)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(70017);
/* harmony import */ var _util_paths_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(24964);
/**
 * The one check every path into the workdir tree goes through before anything is read, written
 * or deleted there. `.workdir/` sits in the checkout, so a pull request can commit a symbolic link
 * (`.workdir/terraform/dev-vpc -> /home/runner`) or a file where a folder should be; followed
 * blindly, a provision would delete and overwrite the link's target and a clean would remove it.
 *
 * Every part from the base path down is looked at with lstat: a link is refused, a file where a
 * folder belongs is refused (naming the path, never a raw ENOTDIR), and the real path of what
 * exists must stay inside `<base>/.workdir`. The base path itself may be a link (a checkout under
 * a linked home folder is normal); only what lies below it is ours.
 */




function shown(basePath, abs) {
    return node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(basePath, abs).split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep)).join('/') || '.';
}
/** Refuses a link or a non-folder anywhere from `<base>/.workdir` down to `target` (inclusive). What does not exist yet is fine. */
function guardStatePath(basePath, target, what = 'workdir path') {
    const base = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(basePath);
    const abs = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(target);
    const rel = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(base, abs);
    const top = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .stateRoot */ .om)(base);
    if (rel === '' || rel.startsWith('..') || node_path__WEBPACK_IMPORTED_MODULE_1___default().isAbsolute(rel) || !(abs === top || abs.startsWith(top + (node_path__WEBPACK_IMPORTED_MODULE_1___default().sep)))) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`${what} ${abs} is not inside ${top}`, { file: abs, kind: 'instance' });
    }
    let cur = base;
    for (const seg of rel.split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep))) {
        cur = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(cur, seg);
        let st;
        try {
            st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(cur);
        }
        catch (e) {
            if (e.code === 'ENOENT')
                return; // the rest is created by us, as real folders
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`cannot inspect ${shown(base, cur)}: ${e.message}`, { file: cur, cause: e, kind: 'instance' });
        }
        if (st.isSymbolicLink()) {
            let to = '';
            try {
                to = ` (to ${node_fs__WEBPACK_IMPORTED_MODULE_0___default().readlinkSync(cur)})`;
            }
            catch {
                /* vanished */
            }
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`${shown(base, cur)} is a symbolic link${to}; refusing to follow it for the ${what} ${shown(base, abs)}: ` +
                'nothing under .workdir may be a link (remove it; the folder is recreated)', { file: cur, kind: 'instance' });
        }
        if (!st.isDirectory()) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`${shown(base, cur)} is a file, not a folder, so the ${what} ${shown(base, abs)} cannot live there; remove it`, {
                file: cur,
                kind: 'instance',
            });
        }
    }
    // No part is a link, so the real path can only leave through a bind mount or a race; check anyway.
    const realTop = node_fs__WEBPACK_IMPORTED_MODULE_0___default().realpathSync(top);
    const real = node_fs__WEBPACK_IMPORTED_MODULE_0___default().realpathSync(abs);
    if (real !== realTop && !real.startsWith(realTop + (node_path__WEBPACK_IMPORTED_MODULE_1___default().sep))) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`the ${what} ${shown(base, abs)} resolves to ${real}, outside ${realTop}; refusing it`, { file: abs, kind: 'instance' });
    }
}
/** Guards `dir` (see guardStatePath), creates it as real folders, and guards again (a link may have appeared meanwhile). */
async function ensureStateDir(basePath, dir, what) {
    guardStatePath(basePath, dir, what);
    await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir(dir, { recursive: true });
    guardStatePath(basePath, dir, what);
}
/**
 * `.atmos/` inside a workdir and the files in it belong to us: a link or a file named `.atmos`
 * (committed, or damage), or a folder or link where one of our files belongs, is removed so our
 * reads and writes land in real files inside the workdir. Says so through `warn`.
 */
async function repairAtmosDir(workdir, warn) {
    const kind = (st) => (st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a folder' : 'a file');
    const dir = (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .atmosDir */ .sr)(workdir);
    const st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(dir, { throwIfNoEntry: false });
    if (!st)
        return;
    if (!st.isDirectory()) {
        warn(`${dir} was ${kind(st)}, not a folder; replaced it with an empty folder`);
        await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(dir, { force: true });
        return;
    }
    for (const file of [(0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .metadataPath */ .xT)(workdir), (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .manifestPath */ .ji)(workdir), (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .sentinelPath */ .gE)(workdir), (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_3__/* .inProgressPath */ .Is)(workdir)]) {
        const f = node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(file, { throwIfNoEntry: false });
        if (!f || f.isFile())
            continue;
        warn(`${file} was ${kind(f)}, not a file; removed it`);
        await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(file, { recursive: true, force: true });
    }
}


/***/ }),

/***/ 27279:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ch: () => (/* binding */ sameCopy),
/* harmony export */   HN: () => (/* binding */ writeManifest),
/* harmony export */   WI: () => (/* binding */ readManifest),
/* harmony export */   _6: () => (/* binding */ readMetadata),
/* harmony export */   eP: () => (/* binding */ sameSource),
/* harmony export */   f5: () => (/* binding */ writeMetadata),
/* harmony export */   m6: () => (/* binding */ manifestEntry),
/* harmony export */   or: () => (/* binding */ entryMode),
/* harmony export */   vE: () => (/* binding */ timestamp),
/* harmony export */   ze: () => (/* binding */ entrySha)
/* harmony export */ });
/* unused harmony export serializeMetadata */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(55571);
/* harmony import */ var _util_paths_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(24964);
/**
 * `<workdir>/.atmos/`: metadata.json (Atmos's field names, docs/atmos-compatibility.md §6.4), the sync manifest and
 * the "provision complete" sentinel.
 */



/** Reads `.atmos/metadata.json`, falling back to the legacy file. Never throws: callers decide. */
function readMetadata(workdir) {
    for (const file of [(0,_util_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .metadataPath */ .xT)(workdir), (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .legacyMetadataPath */ .m0)(workdir)]) {
        let text;
        try {
            text = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync(file, 'utf8');
        }
        catch (e) {
            if (e.code === 'ENOENT')
                continue;
            return { ok: false, reason: 'invalid', file, error: e.message };
        }
        try {
            const m = JSON.parse(text);
            if (!m || typeof m !== 'object' || typeof m.component !== 'string')
                throw new Error('not a workdir metadata object');
            return { ok: true, metadata: m, file };
        }
        catch (e) {
            return { ok: false, reason: 'invalid', file, error: e.message };
        }
    }
    return { ok: false, reason: 'missing' };
}
/** Field order as Atmos writes it; omitempty fields left out when empty. 2-space indent, no trailing newline (Go MarshalIndent). */
function serializeMetadata(m) {
    const out = {};
    const put = (k, omitEmpty) => {
        const v = m[k];
        if (omitEmpty && (v === undefined || v === ''))
            return;
        out[k] = v ?? '';
    };
    put('component', false);
    put('stack', true);
    put('source_type', false);
    put('source', true);
    put('source_uri', true);
    put('source_version', true);
    put('source_resolved', true);
    put('source_identity', true);
    put('created_at', false);
    put('updated_at', false);
    put('last_accessed', false);
    put('content_hash', true);
    if (m.lock_file_seed)
        out.lock_file_seed = m.lock_file_seed;
    return JSON.stringify(out, null, 2);
}
async function writeMetadata(workdir, m) {
    await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .atmosDir */ .sr)(workdir), { recursive: true });
    await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_1__/* .atomicWriteFile */ .R)((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .metadataPath */ .xT)(workdir), serializeMetadata(m));
}
/** Time as Atmos writes it (RFC 3339; milliseconds are what JavaScript has). */
function timestamp(d) {
    return d.toISOString();
}
const entrySha = (e) => e[5];
const entryMode = (e) => e[4];
function manifestEntry(src, mode, sha256, copy) {
    return [src.size, src.mtimeMs, src.ctimeMs, src.ino, mode, sha256, copy.size, copy.mtimeMs, copy.ctimeMs, copy.ino];
}
/** The source file still looks as it did when it was hashed. */
function sameSource(e, st) {
    return e[0] === st.size && e[1] === st.mtimeMs && e[2] === st.ctimeMs && e[3] === st.ino;
}
/** The workdir copy still looks as it did right after we wrote or verified it. */
function sameCopy(e, st) {
    return e[6] === st.size && e[7] === st.mtimeMs && e[8] === st.ctimeMs && e[9] === st.ino;
}
function readManifest(workdir) {
    try {
        const m = JSON.parse(node_fs__WEBPACK_IMPORTED_MODULE_0___default().readFileSync((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .manifestPath */ .ji)(workdir), 'utf8'));
        return m && m.version === 2 && m.files && typeof m.files === 'object' ? m : null;
    }
    catch {
        return null;
    }
}
async function writeManifest(workdir, m) {
    await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .atmosDir */ .sr)(workdir), { recursive: true });
    await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_1__/* .atomicWriteFile */ .R)((0,_util_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .manifestPath */ .ji)(workdir), JSON.stringify(m));
}


/***/ })

};
