export const id = 680;
export const ids = [680];
export const modules = {

/***/ 43680:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runDriftIssues: () => (/* binding */ runDriftIssues)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/report/comment.ts
var comment = __webpack_require__(54231);
// EXTERNAL MODULE: ./src/util/escape.ts
var util_escape = __webpack_require__(55421);
// EXTERNAL MODULE: ./src/report/plan-report.ts
var plan_report = __webpack_require__(47930);
;// CONCATENATED MODULE: ./src/report/drift.ts
/**
 * Drift issues: one GitHub issue per drifted instance, found again by a hidden marker that names the
 * instance exactly (JSON, so no two instances share one), and the job summary of a drift run. Pure.
 */



const MARKER = /^<!-- atmos-action:drift (\{[^\n]*?\}) -->/;
/** `<!-- atmos-action:drift {"stack":…,"component":…} -->`; escaped so no name can end the comment ({@link hiddenJson}). */
function driftMarker(stack, component) {
    return `<!-- atmos-action:drift ${(0,util_escape/* hiddenJson */.jc)({ stack, component })} -->`;
}
/** The instance an issue body's marker names, if it starts with one. */
function parseDriftMarker(body) {
    const m = MARKER.exec(body ?? '');
    if (!m)
        return undefined;
    try {
        const v = JSON.parse(m[1]);
        return typeof v.stack === 'string' && typeof v.component === 'string' ? { stack: v.stack, component: v.component } : undefined;
    }
    catch {
        return undefined;
    }
}
/** GitHub refuses titles over 256 characters. */
function driftIssueTitle(stack, component) {
    const t = `Drift: ${(0,util_escape/* titleText */.Qw)(component)} in ${(0,util_escape/* titleText */.Qw)(stack)}`;
    return t.length > 256 ? `${t.slice(0, 255)}…` : t;
}
function driftIssueBody(entry, o) {
    const context = [
        `The live infrastructure of ${(0,util_escape/* codeSpan */.SS)(entry.component)} in stack ${(0,util_escape/* codeSpan */.SS)(entry.stack)} no longer matches its configuration: ` +
            'a plan of the default branch has changes. Apply the configuration again, or change it to match what is deployed. ' +
            'This issue is updated by every drift run and closed by the first one that finds no changes.',
        '',
    ];
    if (o.commitSha)
        context.push(`Commit \`${o.commitSha.slice(0, 12)}\`${o.runUrl ? ` · [workflow run](${o.runUrl})` : ''}`, '');
    return (0,plan_report/* renderPlanReport */.Q)([entry], {
        title: 'atmos-action drift',
        marker: driftMarker(entry.stack, entry.component),
        limit: comment/* COMMENT_LIMIT */.W$ - 1_024,
        measure: (s) => s.length,
        whereFull: `The full plan is in the log of its plan job${o.runUrl ? ` in [this run](${o.runUrl})` : ''}.`,
        context,
    });
}
const ACTION_LABEL = {
    opened: '🆕 opened',
    updated: '📝 updated',
    unchanged: '📝 still drifted',
    closed: '✅ closed: no drift',
    'not-opened': '⏸️ drifted, not opened (max-new-issues)',
    'plan-failed': '❌ plan failed: issue left as is',
};
/** The job summary: every instance that has or had an issue, or drifted, or failed; the instances without drift are counted. */
function driftSummary(rows, quiet) {
    const lines = rows.map((r) => {
        const issue = r.issue ? (r.url ? `[#${r.issue}](${r.url})` : `#${r.issue}`) : '–';
        return `| ${(0,util_escape/* markdownText */.p7)(r.stack)} | ${(0,util_escape/* markdownText */.p7)(r.component)} | ${ACTION_LABEL[r.action]} | ${issue} |`;
    });
    const drifted = rows.filter((r) => r.action === 'opened' || r.action === 'updated' || r.action === 'unchanged' || r.action === 'not-opened').length;
    const head = `### atmos-action drift\n\n${drifted} drifted instance(s), ${quiet} without drift.\n`;
    return rows.length ? `${head}\n| stack | component | drift | issue |\n|---|---|---|---|\n${lines.join('\n')}\n` : head;
}

// EXTERNAL MODULE: ./src/util/redact.ts
var redact = __webpack_require__(50767);
;// CONCATENATED MODULE: ./src/app/drift-issues.ts


const key = (stack, component) => `${stack}\n${component}`;
async function syncDriftIssues(api, req) {
    const open = new Map();
    for (const issue of await api.listIssues(req.repo, { state: 'open', labels: req.label })) {
        const who = issue.pull_request ? undefined : parseDriftMarker(issue.body);
        if (!who)
            continue;
        const k = key(who.stack, who.component);
        open.set(k, [...(open.get(k) ?? []), issue]);
    }
    const rows = [];
    let quiet = 0;
    let opened = 0;
    const close = async (issue, why) => {
        await api.createIssueComment(req.repo, issue.number, (0,redact/* redactSecrets */.fp)(why, req.secrets ?? []));
        await api.updateIssue(req.repo, issue.number, { state: 'closed', state_reason: 'completed' });
    };
    const run = req.runUrl ? ` ([workflow run](${req.runUrl}))` : '';
    for (const e of req.entries) {
        // Oldest first: a duplicate (two runs racing) is closed in favour of the first.
        const [issue, ...duplicates] = (open.get(key(e.stack, e.component)) ?? []).sort((a, b) => a.number - b.number);
        const row = (action, i) => rows.push({ stack: e.stack, component: e.component, action, issue: i?.number, url: i?.html_url });
        if (e.status === 'changes') {
            for (const d of duplicates)
                await close(d, `Closed as a duplicate of #${issue.number}.`);
            const title = (0,redact/* redactSecrets */.fp)(driftIssueTitle(e.stack, e.component), req.secrets ?? []);
            const body = (0,redact/* redactSecrets */.fp)(driftIssueBody(e, req), req.secrets ?? []);
            if (issue) {
                if (issue.body === body && issue.title === title)
                    row('unchanged', issue);
                else
                    row('updated', await api.updateIssue(req.repo, issue.number, { title, body }));
            }
            else if (req.maxNew > 0 && opened >= req.maxNew) {
                row('not-opened');
            }
            else {
                opened++;
                row('opened', await api.createIssue(req.repo, { title, body, labels: [req.label] }));
            }
        }
        else if (e.status === 'no-changes') {
            if (!issue) {
                quiet++;
                continue;
            }
            for (const i of [issue, ...duplicates])
                await close(i, `No drift any more: the plan of commit \`${(req.commitSha ?? '').slice(0, 12)}\` has no changes${run}.`);
            row('closed', issue);
        }
        else if (e.status === 'failed') {
            row('plan-failed', issue);
        }
    }
    return { rows, quiet };
}

// EXTERNAL MODULE: ./src/terraform/plan-store.ts
var plan_store = __webpack_require__(16985);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(70017);
// EXTERNAL MODULE: ./src/util/paths.ts
var paths = __webpack_require__(24964);
// EXTERNAL MODULE: ./src/action/legs.ts + 39 modules
var legs = __webpack_require__(30871);
;// CONCATENATED MODULE: ./src/action/drift.ts
/** The action's drift-issues command: the plans directory in, one issue per drifted instance out. */







async function runDriftIssues(inputs, ports) {
    const plansDir = inputs.plansDir ? external_node_path_default().resolve(ports.workspace, inputs.plansDir) : (0,paths/* defaultPlansDir */.B)(ports.github.runnerTemp);
    if (!ports.github.repository)
        throw new errors/* AtmosError */.f7('command drift-issues needs GITHUB_REPOSITORY (it runs in a workflow)');
    // A folder that is not a complete plan is a failed row (its issue is left as it is), never dropped.
    const entries = (0,legs.dirEntries)((0,plan_store/* readPlansDir */.Cp)(plansDir));
    if (entries.length === 0)
        throw new errors/* AtmosError */.f7(`no plans in ${plansDir}: download every plan leg's artifact there first`);
    const outcome = await syncDriftIssues(ports.githubApi(inputs.githubToken), {
        repo: ports.github.repository,
        entries,
        label: inputs.issueLabel,
        maxNew: inputs.maxNewIssues,
        commitSha: ports.github.sha,
        runUrl: ports.github.runUrl,
        // Every registered secret (the entry point registers the token); without a registry, the token at least.
        secrets: ports.secrets?.values() ?? [inputs.githubToken],
    });
    for (const r of outcome.rows)
        ports.log.info(`${r.component} in ${r.stack}: ${r.action}${r.issue ? ` (#${r.issue})` : ''}`);
    const notOpened = outcome.rows.filter((r) => r.action === 'not-opened').length;
    if (notOpened)
        ports.log.warn(`${notOpened} drifted instance(s) got no issue: at most ${inputs.maxNewIssues} are opened per run (input max-new-issues)`);
    const failed = outcome.rows.filter((r) => r.action === 'plan-failed').length;
    if (failed)
        ports.log.warn(`${failed} plan(s) failed: their drift is unknown and their issues were left as they are`);
    const drifted = outcome.rows.filter((r) => ['opened', 'updated', 'unchanged', 'not-opened'].includes(r.action));
    ports.setOutput('has-changes', String(drifted.length > 0));
    ports.setOutput('issues', JSON.stringify(outcome.rows.map((r) => ({ stack: r.stack, component: r.component, action: r.action, issue: r.issue ?? null }))));
    ports.summary(driftSummary(outcome.rows, outcome.quiet));
    return true;
}


/***/ })

};
