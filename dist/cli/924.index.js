export const id = 924;
export const ids = [924];
export const modules = {

/***/ 77924:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  clean: () => (/* binding */ clean)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/lock/lock.ts
var lock = __webpack_require__(82872);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(70017);
// EXTERNAL MODULE: ./src/util/paths.ts
var paths = __webpack_require__(24964);
// EXTERNAL MODULE: ./src/workdir/guard.ts
var guard = __webpack_require__(95705);
// EXTERNAL MODULE: ./src/workdir/list.ts
var list = __webpack_require__(94074);
// EXTERNAL MODULE: ./src/workdir/ttl.ts
var workdir_ttl = __webpack_require__(32108);
;// CONCATENATED MODULE: ./src/workdir/clean.ts
/**
 * `workdir clean` and the action's `command: clean`. Never deletes a workdir that holds local
 * Terraform state or whose lock is held, unless forced; says which it skipped and why.
 * A workdir is removed by renaming it into `.workdir/.trash/` first (atomic), so no reader ever
 * sees a half-deleted workdir that still looks provisioned.
 */









function entryOf(w, why) {
    return { name: w.name, path: w.path, stack: w.stack, component: w.component, ...(why ? { why } : {}) };
}
/** Last use as Atmos judges it: last_accessed, else updated_at, else created_at, else the folder's mtime. */
function lastUse(w) {
    for (const t of [w.last_accessed, w.updated_at, w.created_at]) {
        const d = t ? new Date(t) : null;
        if (d && !Number.isNaN(d.getTime()))
            return d;
    }
    return null;
}
async function cleanWorkdirs(basePath, request, ports, opts = {}) {
    const result = { dryRun: !!request.dryRun, removed: [], skipped: [], missing: [], collected: { scratch: 0, trash: 0 } };
    const root = (0,paths/* workdirRoot */.by)(basePath);
    const tree = (0,list/* scanWorkdirTree */.ue)(basePath); // refuses a root reached through a link
    const candidates = [];
    if (request.mode === 'instances') {
        for (const i of request.instances) {
            const abs = (0,paths/* buildWorkdirPath */.Sb)(basePath, i.stack, i.component);
            (0,guard/* guardStatePath */.sx)(basePath, abs, 'workdir');
            if (!external_node_fs_default().existsSync(abs)) {
                result.missing.push({ stack: i.stack, component: i.component });
                continue;
            }
            const info = (0,list/* describeWorkdirFolder */.Ul)(basePath, external_node_path_default().relative(root, abs).split((external_node_path_default()).sep).join('/'), opts.lock?.staleMs);
            // The folder may predate metadata; the request tells us whose it is.
            info.stack ||= i.stack;
            info.component ||= i.component;
            candidates.push({ info });
        }
    }
    else {
        const ttl = request.mode === 'expired' ? (0,workdir_ttl/* parseTtl */.Kw)(request.ttl, '--ttl') : null;
        const now = ports.clock.now();
        for (const link of tree.links) {
            // Never followed, never counted as a workdir; said, so a committed link does not go unnoticed.
            const p = `${external_node_path_default().posix.join('.workdir/terraform', link)}`;
            result.skipped.push({ name: link, path: p, stack: '', component: '', reasons: ['is a symbolic link, not a workdir; not followed (remove it by hand)'] });
            ports.log.warn(`${p}: skipped: a symbolic link, not a workdir; not followed`);
        }
        for (const name of tree.workdirs) {
            const info = (0,list/* describeWorkdirFolder */.Ul)(basePath, name, opts.lock?.staleMs);
            if (!ttl) {
                candidates.push({ info });
                continue;
            }
            const used = lastUse(info);
            const age = used ? now.getTime() - used.getTime() : Infinity;
            if (ttl.always || age > ttl.ms) {
                candidates.push({ info, why: used ? `last used ${(0,workdir_ttl/* formatDuration */.a3)(age)} ago` : 'last use unknown' });
            }
        }
    }
    for (const { info, why } of candidates) {
        const reasons = [];
        if (info.local_state.length)
            reasons.push(`holds local Terraform state (${info.local_state.join(', ')})`);
        if (info.locked) {
            const o = info.lock_owner;
            reasons.push(`its lock is held${o ? ` by pid ${o.pid} on ${o.host} since ${o.since}` : ''}`);
        }
        if (reasons.length && !request.force) {
            result.skipped.push({ ...entryOf(info, why), reasons });
            ports.log.warn(`workdir ${info.path}: skipped: ${reasons.join('; ')} (use --force to delete anyway)`);
            continue;
        }
        if (request.dryRun) {
            result.removed.push(entryOf(info, why));
            continue;
        }
        const remove = () => removeWorkdir(basePath, info.absPath);
        // The lock key follows from the folder name, so even a workdir without metadata is removed only under its lock.
        const key = (0,paths/* workdirLockKeyFromName */.MB)(basePath, info.name);
        await (0,guard/* ensureStateDir */.xH)(basePath, external_node_path_default().dirname(key), 'lock folder');
        try {
            // Do not wait: a provision that started after we looked makes this workdir busy again.
            await (0,lock/* withLock */.kK)(key, remove, { ...opts.lock, waitMs: 0 });
        }
        catch (e) {
            if (!(e instanceof lock/* LockTimeoutError */.XB))
                throw e;
            if (!request.force) {
                result.skipped.push({ ...entryOf(info, why), reasons: [`its lock was taken while cleaning${e.owner ? ` (by pid ${e.owner.pid})` : ''}`] });
                ports.log.warn(`workdir ${info.path}: skipped: its lock was taken while cleaning`);
                continue;
            }
            await remove();
        }
        result.removed.push(entryOf(info, why));
        ports.log.info(`workdir ${info.path}: removed${why ? ` (${why})` : ''}`);
    }
    if (!request.dryRun) {
        result.collected = await collectLeftovers(basePath, ports.log, ports.clock.now().getTime());
        // Folders emptied by the removals (stack sub-folders).
        if (request.mode === 'all')
            pruneEmptyDirs(root);
    }
    return result;
}
/** A scratch folder whose name we did not make (an older version's) is removed once it is this old. */
const FOREIGN_SCRATCH_MS = 24 * 3_600_000;
/**
 * Scratch folders of fetches whose process is gone (never one whose process still runs), and
 * whatever an interrupted clean left in the trash. Both roots are checked for links first: a
 * linked `.workdir/.trash` must not make us delete the link's target.
 */
async function collectLeftovers(basePath, log, nowMs) {
    const collected = { scratch: 0, trash: 0 };
    for (const [root, kind] of [
        [(0,paths/* workdirTmpRoot */.kZ)(basePath), 'scratch'],
        [(0,paths/* workdirTrashRoot */.lB)(basePath), 'trash'],
    ]) {
        (0,guard/* guardStatePath */.sx)(basePath, root, `${kind} folder`);
        let entries;
        try {
            entries = external_node_fs_default().readdirSync(root, { withFileTypes: true });
        }
        catch {
            continue;
        }
        for (const d of entries) {
            const abs = external_node_path_default().join(root, d.name);
            if (kind === 'scratch') {
                const pid = (0,paths/* scratchOwnerPid */.hI)(d.name);
                if (pid !== null ? (0,lock/* processAlive */.FN)(pid) : nowMs - (external_node_fs_default().lstatSync(abs, { throwIfNoEntry: false })?.mtimeMs ?? 0) < FOREIGN_SCRATCH_MS)
                    continue;
            }
            try {
                await external_node_fs_default().promises.rm(abs, { recursive: true, force: true });
                collected[kind]++;
            }
            catch (e) {
                log.warn(`${abs}: could not remove leftover ${kind}: ${e.message}`);
            }
        }
        // The scratch root stays: a provision may be about to create its folder there.
        if (kind === 'trash')
            await external_node_fs_default().promises.rmdir(root).catch(() => { });
    }
    if (collected.scratch || collected.trash) {
        log.info(`collected ${collected.scratch} stale scratch folder(s) and ${collected.trash} trash folder(s) left by interrupted runs`);
    }
    return collected;
}
async function removeWorkdir(basePath, abs) {
    const trash = external_node_path_default().join((0,paths/* workdirTrashRoot */.lB)(basePath), `${external_node_path_default().basename(abs)}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`);
    (0,guard/* guardStatePath */.sx)(basePath, abs, 'workdir');
    await (0,guard/* ensureStateDir */.xH)(basePath, external_node_path_default().dirname(trash), 'trash folder');
    try {
        await external_node_fs_default().promises.rename(abs, trash);
    }
    catch (e) {
        throw new errors/* AtmosError */.f7(`cannot remove workdir ${abs}: ${e.message}`, { file: abs, cause: e });
    }
    await external_node_fs_default().promises.rm(trash, { recursive: true, force: true });
    await external_node_fs_default().promises.rmdir(external_node_path_default().dirname(trash)).catch(() => { });
}
/** Removes empty folders below `dir`, never descending into a workdir (a skipped one must stay untouched). */
function pruneEmptyDirs(dir) {
    if (external_node_fs_default().existsSync((0,paths/* atmosDir */.sr)(dir)))
        return false;
    let entries;
    try {
        entries = external_node_fs_default().readdirSync(dir, { withFileTypes: true });
    }
    catch {
        return false;
    }
    let empty = true;
    for (const d of entries) {
        if (!(d.isDirectory() && pruneEmptyDirs(external_node_path_default().join(dir, d.name))))
            empty = false;
    }
    if (empty) {
        try {
            external_node_fs_default().rmdirSync(dir);
            return true;
        }
        catch {
            return false;
        }
    }
    return false;
}

;// CONCATENATED MODULE: ./src/app/clean.ts

/**
 * Only an instance target resolves the stacks; `all` and `ttl` need just the base path, so a
 * broken stack manifest never blocks cleanup.
 */
async function clean(project, settings, ports) {
    const { target } = settings;
    const flags = { dryRun: settings.dryRun, force: settings.force };
    let request;
    if ('component' in target) {
        const i = project.stacks.instance(target.component, target.stack);
        request = { mode: 'instances', instances: [{ stack: i.stack, component: i.component }], ...flags };
    }
    else {
        request = 'all' in target ? { mode: 'all', ...flags } : { mode: 'expired', ttl: target.ttl, ...flags };
    }
    return cleanWorkdirs(project.config.basePath, request, { log: ports.log, clock: ports.clock });
}


/***/ })

};
