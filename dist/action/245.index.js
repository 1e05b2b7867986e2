export const id = 245;
export const ids = [245];
export const modules = {

/***/ 63245:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   cleanSummary: () => (/* binding */ cleanSummary),
/* harmony export */   provisionOutput: () => (/* binding */ provisionOutput),
/* harmony export */   provisionSummary: () => (/* binding */ provisionSummary)
/* harmony export */ });
/* unused harmony exports toListJson, formatWorkdirTable, formatWorkdirDetails, provisionLine, formatProvisionText, provisionJson, formatCleanText, cleanJson, snakeKeys */
/* harmony import */ var _graph_matrix_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(97403);
/* harmony import */ var _util_escape_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(55421);
/* harmony import */ var _util_paths_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(24964);



/** The JSON shape Atmos's `workdir list --format json` prints, plus atmos-action's extra fields. */
function toListJson(w) {
    const { absPath: _abs, lock_owner, ...rest } = w;
    return { ...rest, ...(lock_owner ? { lock_owner } : {}) };
}
/** Table with Atmos's columns (COMPONENT, STACK, TYPE, VERSION, LAST_ACCESSED, PATH) plus STATUS. */
function formatWorkdirTable(items) {
    const rows = [['COMPONENT', 'STACK', 'TYPE', 'VERSION', 'LAST_ACCESSED', 'STATUS', 'PATH']];
    for (const w of items) {
        const status = [
            w.complete ? 'ok' : 'incomplete',
            w.locked ? 'locked' : '',
            w.local_state.length ? 'local-state' : '',
            w.metadata_error ? 'no-metadata' : '',
        ]
            .filter(Boolean)
            .join(',');
        rows.push([w.component || '?', w.stack || '?', w.source_type || '?', w.source_version ?? '', w.last_accessed, status, w.path]);
    }
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}
/** `workdir show` as aligned `key: value` lines. */
function formatWorkdirDetails(info) {
    const status = [
        info.complete ? 'complete' : 'incomplete (next provision redoes it)',
        info.locked ? 'locked' : '',
        info.local_state.length ? `local state: ${info.local_state.join(', ')}` : '',
    ];
    const rows = [
        ['component', info.component],
        ['stack', info.stack],
        ['path', info.path],
        ['source type', info.source_type],
        ['source', info.source],
        ['version', info.source_version],
        ['commit', info.source_identity],
        ['content hash', info.content_hash],
        ['created', info.created_at],
        ['updated', info.updated_at],
        ['last accessed', info.last_accessed],
        ['status', status.filter(Boolean).join('; ')],
    ];
    return (rows
        .filter(([, v]) => v)
        .map(([k, v]) => `${`${k}:`.padEnd(15)}${v}`)
        .join('\n') + '\n');
}
/** One line per provisioned instance: what was done and why (`dev/vpc: synced 3 files (…)`). */
function provisionLine(r) {
    const lock = r.lockFile.action === 'seeded' || r.lockFile.action === 'reseeded' ? `; .terraform.lock.hcl ${r.lockFile.action} from ${r.lockFile.from}` : '';
    const what = r.reason.startsWith(r.action) ? r.reason : `${r.action}: ${r.reason}`;
    return `${r.stack}/${r.component}: ${what}${lock}`;
}
/** The CLI's text output of a provision run. */
function formatProvisionText(report) {
    const lines = report.outcomes.map((o) => (o.result ? provisionLine(o.result) : `${o.instance.stack}/${o.instance.component}: failed: ${o.error.message}`));
    if (report.notEnabled.length)
        lines.push(`skipped ${report.notEnabled.length} instance(s) without provision.workdir.enabled (pass --workdir to include them)`);
    return lines.map((l) => `${l}\n`).join('');
}
/** The CLI's JSON output of a provision run: full results, errors, and the instances left alone. */
function provisionJson(report) {
    return [
        ...report.outcomes.map((o) => o.result
            ? { status: 'ok', ...snakeKeys(o.result) }
            : { status: 'error', stack: o.instance.stack, component: o.instance.component, error: o.error.message }),
        ...report.notEnabled.map((i) => ({ status: 'skipped', stack: i.stack, component: i.component, reason: 'workdir not enabled' })),
    ];
}
/** The action's `workdirs` output: one entry per instance, paths relative to `cwd` (forward slashes). */
function provisionOutput(report, cwd) {
    return report.outcomes.map((o) => ({
        stack: o.instance.stack,
        component: o.instance.component,
        path: (0,_graph_matrix_js__WEBPACK_IMPORTED_MODULE_0__/* .posixRelative */ .qi)(cwd, (0,_util_paths_js__WEBPACK_IMPORTED_MODULE_2__/* .buildWorkdirPath */ .Sb)(report.basePath, o.instance.stack, o.instance.component)),
        ...(o.result ? { action: o.result.action, reason: o.result.reason, changed: o.result.changed } : { action: 'failed', reason: o.error.message }),
    }));
}
/** The action's provision summary body: a count, then one row per instance. */
function provisionSummary(report) {
    const failed = report.outcomes.filter((o) => o.error).length;
    const e = _util_escape_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownText */ .p7;
    const rows = report.outcomes.map((o) => `| ${e(o.instance.stack)} | ${e(o.instance.component)} | ${o.result ? o.result.action : 'failed'} |`);
    return `${report.outcomes.length} workdir(s), ${failed} failed\n\n| stack | component | result |\n|---|---|---|\n${rows.join('\n')}\n`;
}
/** The action's clean summary body. */
function cleanSummary(r) {
    return `${r.removed.length} workdir(s) ${r.dryRun ? 'would remove' : 'removed'}, ${r.skipped.length} skipped\n`;
}
/** The CLI's text output of a clean run: each workdir named by its instance, then its folder. */
function formatCleanText(r) {
    const verb = r.dryRun ? 'would remove' : 'removed';
    const who = (e) => e.component || e.stack ? `${e.component || '?'} in stack ${e.stack || '?'} (${e.path})` : e.path;
    const lines = [
        ...r.removed.map((e) => `${verb} ${who(e)}${e.why ? `: ${e.why}` : ''}`),
        ...r.skipped.map((e) => `skipped ${who(e)}: ${e.reasons.join('; ')}`),
        ...r.missing.map((m) => `no workdir for ${m.component} in stack ${m.stack}`),
    ];
    if (r.skipped.length)
        lines.push(`${r.skipped.length} workdir(s) skipped; --force deletes them anyway`);
    if (!lines.length)
        lines.push('nothing to clean');
    return lines.map((l) => `${l}\n`).join('');
}
/** A clean run as JSON, in snake_case like every JSON atmos-action prints. */
function cleanJson(r) {
    return snakeKeys(r);
}
/** Keys of our own result objects in snake_case (never applied to user data such as vars). */
function snakeKeys(v) {
    if (Array.isArray(v))
        return v.map(snakeKeys);
    if (v === null || typeof v !== 'object')
        return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(x)]));
}


/***/ })

};
