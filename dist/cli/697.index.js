export const id = 697;
export const ids = [697];
export const modules = {

/***/ 9896:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DZ: () => (/* binding */ cycleError),
/* harmony export */   TY: () => (/* binding */ reversed),
/* harmony export */   g8: () => (/* binding */ instanceGraph),
/* harmony export */   rR: () => (/* binding */ scheduleNodes),
/* harmony export */   u8: () => (/* binding */ findCycle)
/* harmony export */ });
/* unused harmony export graphLevels */
/* harmony import */ var _stacks_identity_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(26583);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70017);
/**
 * The one dependency graph among selected instances: which instance waits for which, its levels,
 * its reversal (destroy), and a cycle named when there is one. The runner schedules it
 * (`graph/schedule.ts`, the one scheduler), and `apply-matrix` turns it into levels of jobs.
 */


/**
 * The graph among `instances`: one edge per dependency that is itself among them. A dependency
 * outside the set is no edge; `outside` hears of each one, for the caller to say so or not.
 */
function instanceGraph(instances, dependsOn, outside) {
    const keys = new Set(instances.map(_stacks_identity_js__WEBPACK_IMPORTED_MODULE_0__/* .instanceKey */ .pA));
    const deps = instances.map((i) => {
        const own = [];
        for (const d of dependsOn(i)) {
            const k = (0,_stacks_identity_js__WEBPACK_IMPORTED_MODULE_0__/* .instanceKey */ .pA)(d);
            if (!keys.has(k))
                outside?.(i, d);
            else if (!own.includes(k))
                own.push(k);
        }
        return own;
    });
    return { instances, deps };
}
/** The same graph with every edge turned around: destroy removes a dependent before what it depends on. */
function reversed(graph) {
    const position = new Map(graph.instances.map((i, n) => [(0,_stacks_identity_js__WEBPACK_IMPORTED_MODULE_0__/* .instanceKey */ .pA)(i), n]));
    const deps = graph.instances.map(() => []);
    graph.deps.forEach((own, n) => {
        for (const k of own)
            deps[position.get(k)].push((0,_stacks_identity_js__WEBPACK_IMPORTED_MODULE_0__/* .instanceKey */ .pA)(graph.instances[n]));
    });
    return { instances: graph.instances, deps };
}
/** The scheduler's nodes, keyed by {@link instanceKey}. */
function scheduleNodes(graph) {
    return graph.instances.map((i, n) => ({ key: (0,_stacks_identity_js__WEBPACK_IMPORTED_MODULE_0__/* .instanceKey */ .pA)(i), deps: graph.deps[n], value: i }));
}
/**
 * Level n holds the instances whose dependencies are all in levels before it (level 0: none), each
 * level in the order given. Throws a configuration error naming a cycle when there is one.
 */
function graphLevels(graph) {
    const nodes = scheduleNodes(graph);
    const cycle = findCycle(nodes);
    if (cycle)
        throw cycleError(cycle);
    const position = new Map(nodes.map((n, i) => [n.key, i]));
    const dependents = nodes.map(() => []);
    const waiting = nodes.map((n, i) => {
        for (const d of n.deps ?? [])
            dependents[position.get(d)].push(i);
        return n.deps?.length ?? 0;
    });
    // In topological order (no cycle: every node is reached): a node's level is one more than its deepest dependency's.
    const level = new Array(nodes.length).fill(0);
    const ready = nodes.flatMap((_n, i) => (waiting[i] === 0 ? [i] : []));
    for (let head = 0; head < ready.length; head++) {
        const i = ready[head];
        for (const d of dependents[i]) {
            level[d] = Math.max(level[d], level[i] + 1);
            if (--waiting[d] === 0)
                ready.push(d);
        }
    }
    const out = [];
    nodes.forEach((n, i) => (out[level[i]] ??= []).push(n.value));
    return out;
}
/** `dependency cycle: a → b → a`: the one wording of a cycle, wherever it is found. */
function cycleError(cycle) {
    return new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`dependency cycle: ${cycle.join(' → ')}`);
}
/**
 * One cycle among nodes with dependency keys, as keys with the first repeated at the end, or null.
 * Dependencies on keys that are not nodes are ignored. Iterative: deep chains cannot overflow the stack.
 */
function findCycle(nodes) {
    const index = new Map(nodes.map((n, i) => [n.key, i]));
    const state = new Uint8Array(nodes.length); // 0 new, 1 on the path, 2 done
    for (let root = 0; root < nodes.length; root++) {
        if (state[root])
            continue;
        const path = [root];
        const next = [0];
        state[root] = 1;
        while (path.length) {
            const i = path[path.length - 1];
            const deps = nodes[i].deps ?? [];
            if (next[next.length - 1] < deps.length) {
                const d = index.get(deps[next[next.length - 1]++]);
                if (d === undefined)
                    continue;
                if (state[d] === 1)
                    return [...path.slice(path.indexOf(d)), d].map((p) => nodes[p].key);
                if (state[d] === 0) {
                    state[d] = 1;
                    path.push(d);
                    next.push(0);
                }
            }
            else {
                state[i] = 2;
                path.pop();
                next.pop();
            }
        }
    }
    return null;
}


/***/ }),

/***/ 84407:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   _: () => (/* binding */ schedule)
/* harmony export */ });
/* harmony import */ var node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(643);
/* harmony import */ var node_perf_hooks__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(70017);
/* harmony import */ var _instance_graph_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9896);
/**
 * The one bounded scheduler: runs the nodes of a DAG with at most `parallelism` at once. A node
 * starts as soon as its own dependencies have finished (a ready queue, not waves), so a slow node
 * never holds back an unrelated one. A plain bounded pool is the DAG without edges.
 *
 * Failure policy (what the terraform runner needs):
 * - fail-fast: after a failure nothing new starts; running nodes finish; the rest are skipped.
 * - keep-going: dependents of a failed (or skipped) node are skipped, naming the dependency;
 *   independent nodes still run.
 * - an aborted `signal` stops starting new work, like fail-fast; running nodes get the signal.
 */



/**
 * Runs every node and resolves with one result per node, in the order given. Never rejects for a
 * node's failure (it is in the results); refuses up front duplicate keys, unknown dependencies
 * and cycles.
 */
async function schedule(nodes, work, opts) {
    const index = indexNodes(nodes);
    const failFast = opts.failFast ?? true;
    const limit = Math.max(1, Math.floor(opts.parallelism));
    const results = new Array(nodes.length);
    /** Unfinished dependencies per node. */
    const waiting = nodes.map((n) => n.deps?.length ?? 0);
    const dependents = dependentsOf(nodes, index);
    const ready = [];
    for (let i = 0; i < nodes.length; i++)
        if (waiting[i] === 0)
            ready.push(i);
    let head = 0;
    let running = 0;
    let settled = 0;
    let stopReason;
    const started = new Uint8Array(nodes.length);
    return new Promise((resolve) => {
        const finish = () => {
            if (settled === nodes.length)
                resolve(results);
        };
        const settle = (i, r) => {
            results[i] = r;
            settled++;
        };
        /** Skips every not yet settled node that depends on `i`, transitively. */
        const skipDependents = (i, why) => {
            const stack = [...(dependents[i] ?? [])];
            while (stack.length) {
                const d = stack.pop();
                if (results[d])
                    continue;
                settle(d, { key: nodes[d].key, status: 'skipped', reason: why, durationMs: 0 });
                stack.push(...(dependents[d] ?? []));
            }
        };
        const stop = (reason) => {
            if (stopReason !== undefined)
                return;
            stopReason = reason;
            for (let i = 0; i < nodes.length; i++) {
                if (!results[i] && !started[i])
                    settle(i, { key: nodes[i].key, status: 'skipped', reason, durationMs: 0 });
            }
        };
        const pump = () => {
            while (stopReason === undefined && running < limit && head < ready.length) {
                const i = ready[head++];
                if (results[i])
                    continue; // skipped meanwhile
                started[i] = 1;
                running++;
                const t0 = node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__.performance.now();
                let p;
                try {
                    p = work(nodes[i].value, nodes[i].key, opts.signal);
                }
                catch (e) {
                    p = Promise.reject(e);
                }
                p.then((value) => done(i, { key: nodes[i].key, status: 'ok', value, durationMs: node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__.performance.now() - t0 }), (error) => done(i, { key: nodes[i].key, status: 'failed', error, durationMs: node_perf_hooks__WEBPACK_IMPORTED_MODULE_0__.performance.now() - t0 }));
            }
            finish();
        };
        const done = (i, r) => {
            running--;
            settle(i, r);
            if (r.status === 'ok') {
                for (const d of dependents[i] ?? [])
                    if (--waiting[d] === 0 && !results[d])
                        ready.push(d);
            }
            else if (failFast) {
                stop(`not started: ${r.key} failed (fail-fast)`);
            }
            else {
                skipDependents(i, `dependency ${r.key} failed`);
            }
            pump();
        };
        if (opts.signal?.aborted)
            stop('not started: aborted');
        else
            opts.signal?.addEventListener('abort', () => {
                stop('not started: aborted');
                finish();
            }, { once: true });
        pump();
    });
}
/** Key → position; refuses duplicates, unknown dependencies and cycles with a configuration error. */
function indexNodes(nodes) {
    const index = new Map();
    nodes.forEach((n, i) => {
        if (index.has(n.key))
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`scheduler: duplicate node ${n.key}`);
        index.set(n.key, i);
    });
    for (const n of nodes) {
        for (const d of n.deps ?? [])
            if (!index.has(d))
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .AtmosError */ .f7(`${n.key} depends on ${d}, which is not selected`);
    }
    const cycle = (0,_instance_graph_js__WEBPACK_IMPORTED_MODULE_2__/* .findCycle */ .u8)(nodes);
    if (cycle)
        throw (0,_instance_graph_js__WEBPACK_IMPORTED_MODULE_2__/* .cycleError */ .DZ)(cycle);
    return index;
}
/** For each node, the positions of the nodes that depend on it (undefined when none: the common, edgeless case). */
function dependentsOf(nodes, index) {
    const out = new Array(nodes.length);
    nodes.forEach((n, i) => {
        for (const d of n.deps ?? [])
            (out[index.get(d)] ??= []).push(i);
    });
    return out;
}


/***/ }),

/***/ 48876:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Qd: () => (/* binding */ generateFileNames),
  YX: () => (/* binding */ generateSectionFiles),
  Pl: () => (/* binding */ goJson)
});

// UNUSED EXPORTS: generateSection

// EXTERNAL MODULE: ./src/templates/index.ts + 28 modules
var templates = __webpack_require__(62710);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(70017);
// EXTERNAL MODULE: ./src/util/safe-path.ts
var safe_path = __webpack_require__(35251);
// EXTERNAL MODULE: ./src/util/yaml.ts + 3 modules
var yaml = __webpack_require__(27800);
// EXTERNAL MODULE: ./src/workdir/sync.ts
var sync = __webpack_require__(50765);
;// CONCATENATED MODULE: ./src/terraform/hcl-write.ts
/**
 * Plain values (strings, numbers, booleans, null, lists, maps) written as HCL, the way Atmos writes
 * the map form of `generate:` files with HashiCorp's `hclwrite` (docs/atmos-compatibility.md
 * §5.8): the same literal syntax and escapes, keys sorted, and hclwrite's formatter's layout
 * (two-space indent by bracket depth, `=` aligned across consecutive one-line attributes, a blank
 * line after each block).
 */
/** hclsyntax.ValidIdentifier: a letter or `_` first, then letters, digits, `_` and `-`. */
function isIdentifier(s) {
    return /^[\p{L}_][\p{L}\p{N}_-]*$/u.test(s);
}
/** A quoted HCL string literal (hclwrite's escapes: `\n \r \t \" \\`, `${`/`%{` doubled, what Go's unicode.IsPrint rejects as \u). */
function hclString(s) {
    let out = '"';
    const chars = [...s];
    chars.forEach((c, i) => {
        if (c === '\n')
            out += '\\n';
        else if (c === '\r')
            out += '\\r';
        else if (c === '\t')
            out += '\\t';
        else if (c === '"')
            out += '\\"';
        else if (c === '\\')
            out += '\\\\';
        else if ((c === '$' || c === '%') && chars[i + 1] === '{')
            out += c + c;
        else if (/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u.test(c) || (c !== ' ' && /\p{Zs}/u.test(c))) {
            const cp = c.codePointAt(0);
            out += cp < 0x10000 ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
        }
        else
            out += c;
    });
    return `${out}"`;
}
/** A number as Go's big.Float Text('f', -1): no exponent, shortest digits. */
function hclNumber(n) {
    if (!Number.isFinite(n))
        throw new Error(`${n} cannot be written as an HCL number`);
    const s = String(n);
    if (!s.includes('e'))
        return s;
    const [mantissa, exp] = s.split('e');
    const sign = mantissa.startsWith('-') ? '-' : '';
    const digits = mantissa.replace(/^-/, '').replace('.', '');
    const point = (mantissa.replace(/^-/, '').indexOf('.') + 1 || mantissa.replace(/^-/, '').length + 1) - 1 + Number(exp);
    if (point <= 0)
        return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length)
        return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The tokens of one value as text; a non-empty map spans lines (hclwrite's TokensForValue). */
function valueText(v) {
    if (v === null || v === undefined)
        return 'null';
    if (typeof v === 'string')
        return hclString(v);
    if (typeof v === 'number')
        return hclNumber(v);
    if (typeof v === 'boolean')
        return String(v);
    if (Array.isArray(v))
        return `[${v.map(valueText).join(', ')}]`;
    if (isMap(v)) {
        const keys = Object.keys(v).sort();
        if (keys.length === 0)
            return '{}';
        return `{\n${keys.map((k) => `${isIdentifier(k) ? k : hclString(k)} = ${valueText(v[k])}\n`).join('')}}`;
    }
    throw new Error(`a ${typeof v} cannot be written as an HCL value`);
}
/** A file body: attributes and blocks in the order given, then hclwrite's formatting. */
function hclFile(items) {
    let text = '';
    for (const item of items) {
        if ('attribute' in item) {
            text += `${item.attribute} = ${valueText(item.value)}\n`;
        }
        else {
            const { type, labels, body } = item.block;
            text += `${[type, ...labels.map(hclString)].join(' ')} {\n`;
            for (const k of Object.keys(body).sort())
                text += `${k} = ${valueText(body[k])}\n`;
            // hclwrite's AppendBlock adds a newline after every block.
            text += '}\n\n';
        }
    }
    return format(text);
}
/** Net bracket change of a line, strings skipped. */
function bracketChange(line) {
    let n = 0;
    let inString = false;
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (inString) {
            if (c === '\\')
                i++;
            else if (c === '"')
                inString = false;
        }
        else if (c === '"')
            inString = true;
        else if (c === '{' || c === '[')
            n++;
        else if (c === '}' || c === ']')
            n--;
    }
    return n;
}
/** Index of the attribute's `=` when the rest of the line is a whole expression (hclwrite's "assign" cell). */
function assignAt(line) {
    const m = /^("(?:[^"\\]|\\.)*"|[^\s=]+) = /.exec(line);
    if (!m)
        return -1;
    const at = m[1].length + 1;
    return bracketChange(line.slice(at)) === 0 ? at : -1;
}
/** hclwrite's formatter for the lines built above: indent by the stack of opening lines, then align `=`. */
function format(text) {
    const lines = text.split('\n').map((l) => l.trim());
    const indents = [];
    const indented = lines.map((line) => {
        if (line === '')
            return { line, depth: indents.length };
        const net = bracketChange(line);
        let depth;
        if (net > 0) {
            depth = indents.length;
            indents.push(net);
        }
        else if (net < 0) {
            let closed = -net;
            while (closed > 0 && indents.length) {
                const top = indents[indents.length - 1];
                if (closed >= top) {
                    closed -= top;
                    indents.pop();
                }
                else {
                    indents[indents.length - 1] = top - closed;
                    closed = 0;
                }
            }
            depth = indents.length;
        }
        else
            depth = indents.length;
        return { line, depth };
    });
    // Align `=` across runs of consecutive lines that each hold a one-line attribute.
    const out = indented.map(({ line, depth }) => ({ text: line, depth, eq: line === '' ? -1 : assignAt(line) }));
    for (let i = 0; i < out.length;) {
        if (out[i].eq < 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < out.length && out[j].eq >= 0)
            j++;
        const width = Math.max(...out.slice(i, j).map((l) => 2 * l.depth + l.eq - 1));
        for (const l of out.slice(i, j)) {
            const key = l.text.slice(0, l.eq - 1);
            l.text = `${key}${' '.repeat(width - 2 * l.depth - key.length + 1)}${l.text.slice(l.eq)}`;
            l.eq = -2;
        }
        i = j;
    }
    return out.map((l) => (l.text === '' ? '' : `${' '.repeat(2 * l.depth)}${l.text}`)).join('\n');
}

;// CONCATENATED MODULE: ./src/terraform/generate-section.ts
/**
 * The files of a component's `generate:` section (docs/atmos-compatibility.md §5.8), built as
 * Atmos builds them (`pkg/terraform/generate/file_generator.go`): a string is a Go template
 * rendered with the instance's context; a map has its strings rendered, then is written by the
 * file's extension (JSON, YAML, HCL blocks for `.tf`/`.hcl`, HCL attributes for `.tfvars`, JSON for
 * anything else). Pure: writing them is `writeGeneratedFiles`' job, into the workdir only.
 */






const generate_section_isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The instance's `generate:` section (file name → content), or an empty one. */
function generateSection(instance) {
    const g = instance.passthrough.generate;
    return generate_section_isMap(g) ? g : {};
}
/** The file names of the `generate:` section, as the workdir sync must treat them (regenerated, never synced). */
function generateFileNames(instance) {
    return Object.keys(generateSection(instance));
}
/** What the templates see (Atmos's BuildTemplateContext). */
function templateContext(i) {
    const fromVars = (k) => (typeof i.vars[k] === 'string' ? i.vars[k] : '');
    return {
        atmos_component: i.component,
        atmos_stack: i.stack,
        atmos_stack_file: i.stackFile,
        component: i.baseComponent,
        base_component: i.baseComponent !== i.component ? i.baseComponent : '',
        namespace: fromVars('namespace'),
        tenant: fromVars('tenant'),
        environment: fromVars('environment'),
        stage: fromVars('stage'),
        region: fromVars('region'),
        workspace: i.workspace,
        vars: i.vars,
        settings: i.settings,
        env: i.env,
        backend: i.backend,
        backend_type: i.backendType,
        providers: i.providers,
        metadata: i.metadata,
    };
}
/** Terraform labels its blocks: one label for these, two for `resource` and `data`. */
const LABELS = { variable: 1, output: 1, provider: 1, module: 1, resource: 2, data: 2 };
/** Unlabelled blocks Atmos writes from a map. */
const UNLABELLED = new Set(['locals', 'terraform']);
/** Every file of the section, rendered; errors name the instance and the file. */
function generateSectionFiles(instance) {
    const section = generateSection(instance);
    const where = `component ${instance.component} in stack ${instance.stack}`;
    const context = templateContext(instance);
    return Object.keys(section).map((name) => {
        const fail = (msg) => {
            throw new errors/* AtmosError */.f7(`${where}: generate ${JSON.stringify(name)}: ${msg}`, { file: instance.stackFilePath });
        };
        const segments = (0,safe_path/* safeRelativeSegments */.c)(name, `${where}: generate file name`);
        if (segments.some(sync/* isExcludedDir */.g6) || (0,sync/* isExcludedFile */.VA)(name)) {
            fail('the file would land where atmos-action keeps state, the provider lock file or its own metadata; generate it under another name');
        }
        const render = (text, templateName) => {
            try {
                return (0,templates/* compileTemplate */.Gq)(text, { name: templateName }).execute(context);
            }
            catch (e) {
                if (e instanceof templates/* TemplateError */.$w)
                    return fail(e.message);
                throw e;
            }
        };
        const content = section[name];
        if (typeof content === 'string')
            return { name, content: render(content, name) };
        if (!generate_section_isMap(content))
            return fail(`the content must be a string (a template) or a map, not ${content === null ? 'null' : Array.isArray(content) ? 'a list' : `a ${typeof content}`}`);
        const rendered = renderStrings(content, render);
        try {
            return { name, content: serialize(name, rendered) };
        }
        catch (e) {
            if (e instanceof errors/* AtmosError */.f7)
                throw e;
            return fail(e.message);
        }
    });
}
/** Renders every string inside a map (keys stay as written), each as its own template. */
function renderStrings(v, render, key = '') {
    if (typeof v === 'string')
        return render(v, key);
    if (Array.isArray(v))
        return v.map((x, i) => renderStrings(x, render, `[${i}]`));
    if (generate_section_isMap(v))
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderStrings(x, render, k)]));
    return v;
}
function serialize(name, content) {
    const dot = name.lastIndexOf('.');
    const ext = dot > name.lastIndexOf('/') ? name.slice(dot).toLowerCase() : '';
    if (ext === '.yaml' || ext === '.yml')
        return (0,yaml/* toYaml */.fE)(sortKeys(content));
    if (ext === '.tf' || ext === '.hcl')
        return hclFile(hclItems(content));
    if (ext === '.tfvars')
        return hclFile(Object.keys(content)
            .sort()
            .map((k) => ({ attribute: k, value: content[k] })));
    return goJson(content);
}
/** Go's json.MarshalIndent with two spaces over sorted maps: keys sorted, `<`, `>`, `&` escaped, no trailing newline. */
function goJson(value) {
    return (JSON.stringify(sortKeys(value), null, 2) ?? 'null').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
function sortKeys(v) {
    if (Array.isArray(v))
        return v.map(sortKeys);
    if (!generate_section_isMap(v))
        return v;
    return Object.fromEntries(Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys(v[k])]));
}
/** Atmos's layout of a `.tf`/`.hcl` map: known block types become blocks, everything else attributes. */
function hclItems(content) {
    const items = [];
    for (const key of Object.keys(content).sort()) {
        const value = content[key];
        if (!generate_section_isMap(value)) {
            items.push({ attribute: key, value });
        }
        else if (LABELS[key] !== undefined) {
            for (const first of Object.keys(value).sort()) {
                const body = value[first];
                if (!generate_section_isMap(body))
                    throw new Error(`labeled block ${key} ${JSON.stringify(first)} expects a map`);
                if (LABELS[key] === 1) {
                    items.push({ block: { type: key, labels: [first], body } });
                    continue;
                }
                for (const second of Object.keys(body).sort()) {
                    const inner = body[second];
                    if (!generate_section_isMap(inner))
                        throw new Error(`labeled block ${key} ${JSON.stringify(first)} ${JSON.stringify(second)} expects a map`);
                    items.push({ block: { type: key, labels: [first, second], body: inner } });
                }
            }
        }
        else if (UNLABELLED.has(key)) {
            items.push({ block: { type: key, labels: [], body: value } });
        }
        else {
            items.push({ attribute: key, value });
        }
    }
    return items;
}


/***/ }),

/***/ 27106:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ae: () => (/* binding */ contentHash),
/* harmony export */   Q3: () => (/* binding */ sha256File),
/* harmony export */   f1: () => (/* binding */ sha256Text)
/* harmony export */ });
/* unused harmony export Fnv128a */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(77598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/** Hashes used by the workdir: SHA-256 per file, FNV-128a for Atmos's `content_hash`. */


/** SHA-256 hex of a file, streamed (component trees may hold large files). */
async function sha256File(file) {
    const st = await node_fs__WEBPACK_IMPORTED_MODULE_1___default().promises.stat(file);
    // Small files: one read is much cheaper than a stream.
    if (st.size <= 1 << 20)
        return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
            .update(await node_fs__WEBPACK_IMPORTED_MODULE_1___default().promises.readFile(file))
            .digest('hex');
    const h = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    for await (const chunk of node_fs__WEBPACK_IMPORTED_MODULE_1___default().createReadStream(file))
        h.update(chunk);
    return h.digest('hex');
}
function sha256Text(data) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256').update(data).digest('hex');
}
/**
 * FNV-1a 128-bit, as Go's hash/fnv New128a, on eight 16-bit limbs (little-endian) so it runs on
 * plain numbers (BigInt per byte would be ~50x slower). prime = 2^88 + 0x13B.
 */
class Fnv128a {
    // offset basis 0x6c62272e07bb014262b821756295c58d, limb 0 = least significant 16 bits
    h0 = 0xc58d;
    h1 = 0x6295;
    h2 = 0x2175;
    h3 = 0x62b8;
    h4 = 0x0142;
    h5 = 0x07bb;
    h6 = 0x272e;
    h7 = 0x6c62;
    update(data) {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
        let { h0, h1, h2, h3, h4, h5, h6, h7 } = this;
        for (let k = 0; k < bytes.length; k++) {
            h0 ^= bytes[k];
            // h * prime mod 2^128, prime = 2^88 + 0x13B: h*0x13B plus (h << 88), i.e. limbs shifted by 5 and by 8 bits.
            // Every intermediate stays below 2^31, so plain double arithmetic is exact.
            let t = h0 * 0x13b;
            const r0 = t & 0xffff;
            t = h1 * 0x13b + (t >>> 16);
            const r1 = t & 0xffff;
            t = h2 * 0x13b + (t >>> 16);
            const r2 = t & 0xffff;
            t = h3 * 0x13b + (t >>> 16);
            const r3 = t & 0xffff;
            t = h4 * 0x13b + (t >>> 16);
            const r4 = t & 0xffff;
            t = h5 * 0x13b + (t >>> 16) + h0 * 0x100;
            const r5 = t & 0xffff;
            t = h6 * 0x13b + (t >>> 16) + h1 * 0x100;
            const r6 = t & 0xffff;
            t = h7 * 0x13b + (t >>> 16) + h2 * 0x100;
            const r7 = t & 0xffff;
            h0 = r0;
            h1 = r1;
            h2 = r2;
            h3 = r3;
            h4 = r4;
            h5 = r5;
            h6 = r6;
            h7 = r7;
        }
        Object.assign(this, { h0, h1, h2, h3, h4, h5, h6, h7 });
        return this;
    }
    hex() {
        return [this.h7, this.h6, this.h5, this.h4, this.h3, this.h2, this.h1, this.h0].map((x) => x.toString(16).padStart(4, '0')).join('');
    }
}
/**
 * Atmos's `content_hash`: FNV-128a over the files sorted by relative path (forward slashes),
 * writing each path followed by its SHA-256 hex (pkg/provisioner/workdir/fs.go HashDir).
 */
function contentHash(files) {
    const sorted = [...files].sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
    const h = new Fnv128a();
    for (const [rel, sha] of sorted)
        h.update(rel).update(sha);
    return h.hex();
}


/***/ }),

/***/ 65615:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $Z: () => (/* binding */ seedLockFile),
/* harmony export */   Dn: () => (/* binding */ CANONICAL_LOCK),
/* harmony export */   UJ: () => (/* binding */ instanceLockFileName)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(55571);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(70017);
/* harmony import */ var _hash_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(27106);
/* harmony import */ var _sync_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(50765);
/**
 * Lock-file seeding: which committed `.terraform.lock.hcl` a workdir starts from, and when the one
 * `terraform init` wrote there is replaced.
 */






/** Atmos's per-instance lock file name (pkg/provisioner/instance.go): `.<stack>-<component>.terraform.lock.hcl`, `/`, `\` and spaces as `-`. */
function instanceLockFileName(stack, component) {
    const key = `${stack}-${component}`.replace(/[/\\ ]/g, '-').replace(/^-+|-+$/g, '');
    return `.${key}${_sync_js__WEBPACK_IMPORTED_MODULE_5__/* .LOCK_FILE_SUFFIX */ .Xg}`;
}
/** The lock file terraform reads and writes in the folder it runs in. */
const CANONICAL_LOCK = '.terraform.lock.hcl';
/**
 * Seeds `<workdir>/.terraform.lock.hcl` from the committed per-instance lock file, else the base
 * component's `.terraform.lock.hcl`. The lock file `terraform init` writes in the workdir is kept
 * across syncs until the committed file it was seeded from changes (its hash is in the metadata):
 * then it is re-seeded. A per-instance file always wins over what the workdir has (Atmos copies it
 * on every run); the base file only seeds a workdir without a lock file, or replaces one after the
 * base file changed.
 */
async function seedLockFile(sourceDir, wd, instance, prevSeed) {
    const target = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(wd, CANONICAL_LOCK);
    const perInstanceName = instanceLockFileName(instance.stack, instance.component);
    let file = null;
    let data = null;
    for (const name of [perInstanceName, CANONICAL_LOCK]) {
        try {
            data = await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.readFile(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(sourceDir, name));
            file = name;
            break;
        }
        catch (e) {
            // ENAMETOOLONG: a per-instance lock file name past the file-name limit cannot exist.
            const code = e.code;
            if (code !== 'ENOENT' && code !== 'ENAMETOOLONG') {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .AtmosError */ .f7(`cannot read lock file ${node_path__WEBPACK_IMPORTED_MODULE_1___default().join(sourceDir, name)}: ${e.message}`, { file: node_path__WEBPACK_IMPORTED_MODULE_1___default().join(sourceDir, name) });
            }
        }
    }
    const targetExists = node_fs__WEBPACK_IMPORTED_MODULE_0___default().existsSync(target);
    if (!file || !data)
        return { action: targetExists ? 'kept' : 'none' };
    const seed = { file, sha256: (0,_hash_js__WEBPACK_IMPORTED_MODULE_4__/* .sha256Text */ .f1)(data) };
    const sameSeed = prevSeed?.file === seed.file && prevSeed.sha256 === seed.sha256;
    if (!targetExists) {
        await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_2__/* .atomicWriteFile */ .R)(target, data, 0o644);
        return { action: prevSeed ? 'reseeded' : 'seeded', seed };
    }
    if (sameSeed)
        return { action: 'kept', seed };
    if (!prevSeed && file === CANONICAL_LOCK) {
        // The workdir already has a lock file we did not seed (init ran before the base file was
        // committed, or another tool made the workdir): the base file only seeds empty workdirs.
        // Remember its hash so a later change to it is noticed.
        return { action: 'kept', seed };
    }
    await (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_2__/* .atomicWriteFile */ .R)(target, data, 0o644);
    return { action: prevSeed ? 'reseeded' : 'seeded', seed };
}


/***/ }),

/***/ 41546:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Gg: () => (/* binding */ provisionWorkdir),
  vt: () => (/* binding */ provisionWorkdirs)
});

// UNUSED EXPORTS: DEFAULT_PRESERVE, DEFAULT_REGENERATED

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(77598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(73024);
var external_node_fs_default = /*#__PURE__*/__webpack_require__.n(external_node_fs_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(76760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/picomatch/index.js
var picomatch = __webpack_require__(14006);
var picomatch_default = /*#__PURE__*/__webpack_require__.n(picomatch);
// EXTERNAL MODULE: ./src/lock/lock.ts
var lock = __webpack_require__(82872);
// EXTERNAL MODULE: ./src/graph/schedule.ts
var schedule = __webpack_require__(84407);
// EXTERNAL MODULE: ./src/stacks/identity.ts
var identity = __webpack_require__(26583);
// EXTERNAL MODULE: ./src/util/errors.ts
var errors = __webpack_require__(70017);
// EXTERNAL MODULE: ./src/util/safe-path.ts
var safe_path = __webpack_require__(35251);
// EXTERNAL MODULE: ./src/workdir/ttl.ts
var workdir_ttl = __webpack_require__(32108);
;// CONCATENATED MODULE: ./src/workdir/decide.ts

function decideProvision(observed, source, now) {
    if (source.kind === 'local') {
        if (!observed.existed)
            return { kind: 'local', mode: 'create' };
        if (!observed.complete)
            return { kind: 'local', mode: 'recheck', why: unfinished(observed) };
        return { kind: 'local', mode: 'incremental' };
    }
    const why = remoteReason(observed, source, now);
    if (why === null)
        return { kind: 'remote-current', reason: `unchanged (source ${source.uri}${at(source.version)} is current)` };
    return { kind: 'remote-fetch', why, existed: observed.existed };
}
/** The action and the sentence users see, once the sync (if any) ran. */
function describeOutcome(d, source, sync) {
    if (d.kind === 'remote-current')
        return { action: 'unchanged', reason: d.reason };
    const s = sync ?? { added: [], updated: [], removed: [] };
    const created = (from) => ({ action: 'created', reason: `created from ${from} (${plural(s.added.length, 'file')})` });
    if (d.kind === 'remote-fetch') {
        const remote = source;
        return d.existed ? { action: 'reprovisioned', reason: `${d.why}: ${summarize(s)}` } : created(`${remote.uri}${at(remote.version)}`);
    }
    if (d.mode === 'create')
        return created(source.path);
    if (d.mode === 'recheck')
        return { action: 'reprovisioned', reason: `${d.why}; compared every file: ${summarize(s)}` };
    return s.added.length + s.updated.length + s.removed.length > 0 ? { action: 'synced', reason: summarize(s) } : { action: 'unchanged', reason: 'unchanged' };
}
function unfinished(o) {
    return o.recovered ? 'previous provision did not finish' : 'workdir was not provisioned by atmos-action';
}
function at(version) {
    return version ? ` at ${version}` : '';
}
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function summarize(s) {
    const n = s.added.length + s.updated.length + s.removed.length;
    return `synced ${plural(n, 'file')} (${s.added.length} added, ${s.updated.length} updated, ${s.removed.length} removed)`;
}
/** Why a remote source must be fetched again, or null when the workdir is current. */
function remoteReason(o, src, now) {
    if (!o.existed)
        return 'new workdir';
    if (!o.complete)
        return unfinished(o);
    const prev = o.prev;
    if (!prev)
        return 'workdir metadata missing';
    // Synced from the component folder before (a `source:` always records its URI, a local folder's too).
    if (prev.source_type !== 'remote' && !prev.source_uri)
        return 'source changed from local to remote';
    if ((prev.source_version ?? '') !== (src.version ?? ''))
        return `source version changed (${prev.source_version || 'none'} → ${src.version || 'none'})`;
    if ((prev.source_uri ?? '') !== src.uri)
        return `source URI changed (${prev.source_uri || 'none'} → ${src.uri})`;
    if (src.ttl) {
        if (src.ttl.always)
            return `TTL ${src.ttl.text} means always re-provision`;
        const updated = new Date(prev.updated_at);
        if ((0,workdir_ttl/* isExpired */._d)(src.ttl, updated, now)) {
            const age = now.getTime() - updated.getTime();
            return `TTL ${src.ttl.text} expired (updated ${Number.isNaN(age) ? 'at an unknown time' : `${(0,workdir_ttl/* formatDuration */.a3)(age)} ago`})`;
        }
    }
    return null;
}

// EXTERNAL MODULE: ./src/workdir/lock-seed.ts
var lock_seed = __webpack_require__(65615);
// EXTERNAL MODULE: ./src/workdir/metadata.ts
var metadata = __webpack_require__(27279);
// EXTERNAL MODULE: ./src/util/paths.ts
var paths = __webpack_require__(24964);
// EXTERNAL MODULE: ./src/workdir/guard.ts
var guard = __webpack_require__(95705);
// EXTERNAL MODULE: ./src/util/log-safe.ts
var log_safe = __webpack_require__(78854);
// EXTERNAL MODULE: ./src/util/redact.ts
var redact = __webpack_require__(50767);
;// CONCATENATED MODULE: ./src/workdir/git-url.ts
/**
 * Which git URLs a source may name, and taking credentials out of them (see remote.ts): only forms
 * whose meaning git cannot mistake, nothing git or ssh could read as an option.
 */




function decodeQuery(text, where) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        throw new errors/* AtmosError */.f7(`${where}: source URI has a malformed %-escape in ${(0,log_safe/* showValue */.vp)((0,redact/* redactSecrets */.fp)(text))}`);
    }
}
const SCHEME_URL = /^(https?|ssh|git|git\+ssh|ssh\+git|file):\/\/(.*)$/i;
/** scp-like `[user@]host:path`, and nothing else: no `<transport>::<address>` remote helpers, no options. */
const SCP_LIKE = /^(?:([^@:/]+)@)?([^@:/]+):(?!\/\/)(.+)$/;
const SAFE_USER = /^[A-Za-z0-9._][A-Za-z0-9._-]*$/;
const SAFE_HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?::\d{1,5})?$/;
/**
 * Accepts only URL forms whose meaning git cannot mistake: `https://`, `http://`, `ssh://`,
 * `git://`, `file://`, a plain scp-like `user@host:path`, or an absolute path. Nothing that starts
 * with `-` (git or ssh would read it as an option: `--upload-pack=…`, `-oProxyCommand=…`), no
 * scp-like path segment starting with `-`, no `<transport>::` remote helpers (`ext::` runs a
 * command), no white space. An `https://user:password@` part is taken out of the URL and returned,
 * so it reaches git through the environment only.
 */
function checkGitUrl(url, where, original) {
    const refuse = (why) => new errors/* AtmosError */.f7(`${where}: source ${(0,log_safe/* showValue */.vp)((0,redact/* redactSecrets */.fp)(original))} is not a valid git URL: ${why}; use https://host/org/repo.git, ssh://git@host/org/repo.git, git@host:org/repo.git, file:///path or an absolute path`);
    if (url.startsWith('-'))
        throw refuse('it starts with "-", which git would read as an option');
    if (/\s/.test(url))
        throw refuse('it contains white space');
    // `<transport>::<address>` makes git run git-remote-<transport> (ext:: runs a command of the URL's choosing).
    if (/^[A-Za-z0-9+.-]*::/.test(url))
        throw refuse('git remote helpers (<transport>::<address>, such as ext::) are never used');
    const m = SCHEME_URL.exec(url);
    if (m) {
        const scheme = m[1].toLowerCase();
        const rest = m[2];
        if (scheme === 'file') {
            if (!rest.startsWith('/'))
                throw refuse('file:// needs an absolute path');
            return { url };
        }
        const at = rest.lastIndexOf('@');
        const userinfo = at >= 0 ? rest.slice(0, at) : '';
        const hostPath = rest.slice(at + 1);
        const host = hostPath.split('/')[0];
        if (!SAFE_HOST.test(host))
            throw refuse(`the host ${(0,log_safe/* showValue */.vp)((0,redact/* redactSecrets */.fp)(host))} is not a host name`);
        if (!userinfo)
            return { url };
        if (scheme === 'http' || scheme === 'https') {
            const colon = userinfo.indexOf(':');
            const user = decodeQuery(colon >= 0 ? userinfo.slice(0, colon) : userinfo, where);
            const password = decodeQuery(colon >= 0 ? userinfo.slice(colon + 1) : '', where);
            // Decoded credentials become an HTTP header: a line break there would add headers of its own.
            if (log_safe/* CONTROL_CHAR */.b4.test(user + password))
                throw refuse('the user name or password holds a control character');
            return { url: `${scheme}://${hostPath}`, credentials: { origin: `${scheme}://${host}`, user, password } };
        }
        if (scheme === 'git')
            throw refuse('git:// does not take a user name');
        if (!SAFE_USER.test(userinfo))
            throw refuse('ssh takes a plain user name, never a password (use an ssh key, or https with a token)');
        return { url };
    }
    const scp = SCP_LIKE.exec(url);
    if (scp && !external_node_path_default().isAbsolute(url)) {
        const [, user, host, repoPath] = scp;
        if (user !== undefined && !SAFE_USER.test(user))
            throw refuse('the user name of an scp-like address must be plain (no password, no leading "-")');
        if (!SAFE_HOST.test(host))
            throw refuse(`the host ${(0,log_safe/* showValue */.vp)(host)} is not a host name`);
        if (repoPath.startsWith(':'))
            throw refuse('"::" after the host');
        if (repoPath.includes('@'))
            throw refuse('an "@" after the host (a password, or a second address)');
        if (repoPath.split('/').some((seg) => seg.startsWith('-')))
            throw refuse('a path segment starts with "-", which git or ssh could read as an option');
        return { url };
    }
    if (external_node_path_default().isAbsolute(url))
        return { url };
    throw refuse('git cannot tell how to fetch it');
}

;// CONCATENATED MODULE: ./src/workdir/remote.ts
/**
 * Remote component sources (`source:`, docs/atmos-compatibility.md §6.5): parsing the spec, resolving the go-getter
 * style URI forms people write, and fetching git sources with the `git` CLI through the Exec port
 * (argv arrays only; shallow; the version is the ref).
 */









/**
 * `source` as written on the component: a URI string, or `{uri, version, included_paths,
 * excluded_paths, ttl}`. Returns null when the component has no remote source (absent or empty).
 * `where` names the instance for errors.
 */
function parseSourceSpec(source, where) {
    if (source === undefined || source === null || source === '')
        return null;
    if (typeof source === 'string')
        return { uri: source, includedPaths: [], excludedPaths: [] };
    if (typeof source !== 'object' || Array.isArray(source)) {
        throw new errors/* AtmosError */.f7(`${where}: source must be a URI string or a map with uri, version, included_paths, excluded_paths, ttl`);
    }
    const s = source;
    if (Object.keys(s).length === 0)
        return null;
    if (typeof s.uri !== 'string' || s.uri === '')
        throw new errors/* AtmosError */.f7(`${where}: source.uri is required and must be a string`);
    const list = (key) => {
        const v = s[key];
        if (v === undefined || v === null)
            return [];
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
            throw new errors/* AtmosError */.f7(`${where}: source.${key} must be a list of glob strings`);
        return v;
    };
    let version;
    if (s.version !== undefined && s.version !== null && s.version !== '') {
        if (typeof s.version !== 'string' && typeof s.version !== 'number')
            throw new errors/* AtmosError */.f7(`${where}: source.version must be a string`);
        version = String(s.version);
    }
    let ttl;
    if (s.ttl !== undefined && s.ttl !== null && s.ttl !== '') {
        if (typeof s.ttl !== 'string' && typeof s.ttl !== 'number')
            throw new errors/* AtmosError */.f7(`${where}: source.ttl must be a string such as 1h or 7d`);
        ttl = s.ttl;
    }
    return { uri: s.uri, version, includedPaths: list('included_paths'), excludedPaths: list('excluded_paths'), ttl };
}
const GIT_HOSTS = ['github.com', 'gitlab.com', 'bitbucket.org'];
const UNSUPPORTED = /^(oci|s3|gcs|hg|http|https)::|^oci:\/\//;
/** A source URI as it may be shown or stored: credentials and secret query values replaced (see redactSecrets). */
function redactUri(uri) {
    return (0,redact/* redactSecrets */.fp)(uri);
}
/**
 * Splits `<address>//<subdir>?<query>` the way go-getter does (the `//` after the scheme's `://`)
 * and maps the address to something `git` understands:
 *  - `github.com/org/repo//path?ref=v1` (also gitlab.com, bitbucket.org) → https://github.com/org/repo.git
 *  - `git::https://…`, `git::ssh://…`, `git::file:///…`, `git@host:org/repo.git`, `https://…/repo.git`
 *  - `file:///dir` or an absolute folder without `git::` → a plain local copy;
 *  - a relative path (`../modules/vpc`, `./x`, or any path with no scheme, host or `::`) → a plain
 *    local copy of that folder under `baseDir` (Atmos resolves it against the directory it runs in).
 * The ref comes from `?ref=`, else from `version` (Atmos appends the version unless the URI has a ref).
 */
function resolveSourceUri(spec, where, baseDir) {
    // Refused before anything else: these values reach log lines (workflow command injection) and git's argv.
    // The value is shown redacted; a control character hidden inside the credentials is refused all the same.
    if (log_safe/* CONTROL_CHAR */.b4.test(spec.uri)) {
        (0,log_safe/* refuseControlChars */.d5)(redactUri(spec.uri), `${where}: source URI`);
        throw new errors/* AtmosError */.f7(`${where}: source URI ${(0,log_safe/* showValue */.vp)(redactUri(spec.uri))} contains a control character in its credentials`);
    }
    if (spec.version !== undefined)
        (0,log_safe/* refuseControlChars */.d5)(spec.version, `${where}: source version`);
    let uri = spec.uri.trim();
    if (UNSUPPORTED.test(uri)) {
        throw new errors/* AtmosError */.f7(`${where}: source ${(0,log_safe/* showValue */.vp)(redactUri(uri))} is not supported: atmos-action fetches git sources (git::…, github.com/…) and local folders only`);
    }
    let forcedGit = false;
    if (uri.startsWith('git::')) {
        forcedGit = true;
        uri = uri.slice(5);
    }
    let query = '';
    const q = uri.indexOf('?');
    if (q >= 0) {
        query = uri.slice(q + 1);
        uri = uri.slice(0, q);
    }
    const schemeEnd = uri.indexOf('://');
    const offset = schemeEnd >= 0 ? schemeEnd + 3 : 0;
    let subdir;
    const sd = uri.indexOf('//', offset);
    if (sd >= 0) {
        subdir = uri.slice(sd + 2).replace(/\/+$/, '');
        uri = uri.slice(0, sd);
        if (subdir === '' || subdir === '.')
            subdir = undefined;
        else
            (0,safe_path/* safeRelativeSegments */.c)(subdir, `${where}: source sub-folder`);
    }
    let ref;
    for (const part of query.split('&').filter(Boolean)) {
        const eq = part.indexOf('=');
        const key = decodeQuery(eq >= 0 ? part.slice(0, eq) : part, where);
        const value = decodeQuery(eq >= 0 ? part.slice(eq + 1) : '', where);
        if (key === 'ref')
            ref = value;
        else if (key === 'depth')
            continue; // always shallow
        else
            throw new errors/* AtmosError */.f7(`${where}: source URI parameter ${(0,log_safe/* showValue */.vp)(key)} is not supported (only ref and depth)`);
    }
    ref ??= spec.version;
    if (ref !== undefined && (ref === '' || ref.startsWith('-') || /\s/.test(ref) || log_safe/* CONTROL_CHAR */.b4.test(ref))) {
        // A ref starting with `-` would be read by git as an option.
        throw new errors/* AtmosError */.f7(`${where}: source version/ref ${(0,log_safe/* showValue */.vp)(ref)} is not a valid git ref${ref.startsWith('-') ? ' (it starts with "-", which git would read as an option)' : ''}`);
    }
    if (!forcedGit) {
        if (uri.startsWith('file://') || (external_node_path_default().isAbsolute(uri) && external_node_fs_default().existsSync(uri) && external_node_fs_default().statSync(uri).isDirectory() && !external_node_fs_default().existsSync(external_node_path_default().join(uri, '.git')))) {
            const dir = uri.startsWith('file://') ? decodeURIComponent(uri.slice(7)) : uri;
            return { kind: 'local', dir, subdir };
        }
        if (isRelativeLocalPath(uri)) {
            if (baseDir === undefined)
                throw new errors/* AtmosError */.f7(`${where}: source ${(0,log_safe/* showValue */.vp)(uri)} is a relative folder, and no base path was given to resolve it`);
            return { kind: 'local', dir: external_node_path_default().resolve(baseDir, uri), subdir };
        }
        const host = GIT_HOSTS.find((h) => uri.startsWith(`${h}/`));
        if (host) {
            const repoPath = uri.slice(host.length + 1).replace(/\.git$/, '');
            if (!/^[^/]+\/[^/]+(\/[^/]+)*$/.test(repoPath) || repoPath.split('/').some((seg) => seg.startsWith('-'))) {
                throw new errors/* AtmosError */.f7(`${where}: source ${(0,log_safe/* showValue */.vp)(redactUri(spec.uri))} should look like ${host}/<org>/<repo>`);
            }
            return { kind: 'git', url: `https://${host}/${repoPath}.git`, ref, subdir };
        }
        if (/^[\w.-]+@[\w.-]+:/.test(uri) || /^(https?|ssh):\/\/.+\.git$/.test(uri) || external_node_path_default().isAbsolute(uri)) {
            return { kind: 'git', ...checkGitUrl(uri, where, spec.uri), ref, subdir };
        }
        throw new errors/* AtmosError */.f7(`${where}: cannot tell how to fetch source ${(0,log_safe/* showValue */.vp)(redactUri(spec.uri))}; write it as git::https://host/org/repo.git//path?ref=v1 or github.com/org/repo//path`);
    }
    return { kind: 'git', ...checkGitUrl(uri, where, spec.uri), ref, subdir };
}
/**
 * Atmos's rule for a local source path (`pkg/vendor/uri.go` IsLocalPath): `./`/`../`, or a relative
 * path with no `scheme://`, `::`, `user@host:` and no host-like first segment (`example.com/…`).
 */
function isRelativeLocalPath(uri) {
    if (uri === '' || external_node_path_default().isAbsolute(uri) || uri.startsWith('~'))
        return false;
    if (uri === '.' || uri === '..' || uri.startsWith('./') || uri.startsWith('../'))
        return true;
    if (uri.includes('://') || uri.includes('::') || /^[\w.-]+@[\w.-]+:/.test(uri))
        return false;
    return !uri.split('/')[0].includes('.');
}
/** Include/exclude doublestar globs, relative to the source root; `.git` never; excluded checked first. */
function sourceFilter(spec) {
    const exclude = spec.excludedPaths.length ? picomatch_default()(spec.excludedPaths, { dot: true }) : null;
    const include = spec.includedPaths.length ? picomatch_default()(spec.includedPaths, { dot: true }) : null;
    return (rel, isDir) => {
        const name = rel.slice(rel.lastIndexOf('/') + 1);
        if (name === '.git')
            return false;
        // A folder pattern excludes the folder itself (`tests`) or everything below it (`tests/**`).
        if (exclude && (exclude(rel) || (isDir && exclude(`${rel}/`))))
            return false;
        if (isDir)
            return true; // includes are judged per file
        return include ? include(rel) : true;
    };
}
/**
 * Env for git: never prompt, and authenticate through GIT_CONFIG_* variables rather than the URL or
 * argv, so a token shows up in neither `ps` nor git's error messages: the user and password taken
 * out of an `https://user:password@host/…` URL for that origin, else (for github.com) a token in
 * the env.
 */
function gitEnv(url, env, credentials, githubToken) {
    const out = { ...env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: env.GIT_ASKPASS ?? 'echo' };
    const addConfig = (key, value) => {
        const n = Number(out.GIT_CONFIG_COUNT ?? 0) || 0;
        out.GIT_CONFIG_COUNT = String(n + 1);
        out[`GIT_CONFIG_KEY_${n}`] = key;
        out[`GIT_CONFIG_VALUE_${n}`] = value;
    };
    const basic = (userPass) => `AUTHORIZATION: basic ${Buffer.from(userPass).toString('base64')}`;
    const token = env.ATMOS_GITHUB_TOKEN || env.GITHUB_TOKEN || githubToken;
    if (credentials)
        addConfig(`http.${credentials.origin}/.extraheader`, basic(`${credentials.user}:${credentials.password}`));
    else if (token && /^https:\/\/github\.com\//.test(url))
        addConfig('http.https://github.com/.extraheader', basic(`x-access-token:${token}`));
    return out;
}
/** What git printed, fit for an error message: secrets redacted, control characters visible, the last lines on one line. */
function gitOutputForMessage(text, secrets) {
    return (0,log_safe/* showValue */.vp)((0,redact/* redactSecrets */.fp)(text, secrets).trim().split('\n').slice(-3).join(' | ')).slice(1, -1);
}
/**
 * Fetches a git source into `into` (an empty folder on the same filesystem as the workdir):
 * `git init`, a shallow `fetch` of the ref (or HEAD), `checkout FETCH_HEAD`. A commit SHA that the
 * server will not serve shallowly is fetched in full. Returns the folder and the commit.
 * The whole sequence has one deadline (`timeoutMs`); past it git is killed (with any helper it
 * started) and the error names the source and the time waited.
 */
async function fetchGitSource(src, into, ports, displayUri) {
    const env = gitEnv(src.url, ports.env, src.credentials, ports.githubToken);
    const secrets = [ports.env.ATMOS_GITHUB_TOKEN, ports.env.GITHUB_TOKEN, ports.githubToken, src.credentials?.password];
    const at = src.ref ? ` at ${src.ref}` : '';
    const timeoutMs = ports.timeoutMs ?? workdir_ttl/* DEFAULT_GIT_TIMEOUT_MS */.yx;
    const started = Date.now();
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const git = async (args, what, allowFail = false) => {
        const timedOut = () => new errors/* AtmosError */.f7(`cannot fetch source ${displayUri}${at}: git ${what} did not finish within the ${formatSeconds(timeoutMs)} deadline ` +
            `and was stopped after ${formatSeconds(Date.now() - started)} (ATMOS_ACTION_GIT_TIMEOUT sets the deadline)`);
        if (deadline.signal.aborted)
            throw timedOut();
        // The ext:: transport runs a command of the URL's choosing: never, whatever the user's git config says.
        const r = await ports.exec.run('git', ['-c', 'protocol.ext.allow=never', ...args], { cwd: into, env, signal: deadline.signal, killSignal: 'SIGKILL' });
        if (deadline.signal.aborted)
            throw timedOut();
        if (r.code !== 0 && !allowFail) {
            throw new errors/* AtmosError */.f7(`cannot fetch source ${displayUri}${at}: git ${what} failed: ${gitOutputForMessage(r.stderr || r.stdout, secrets)}`, {
                kind: 'instance',
            });
        }
        return r;
    };
    try {
        await git(['init', '-q', '.'], 'init');
        const ref = src.ref ?? 'HEAD';
        // `--` ends the options: the URL and the ref are positional whatever they look like (both are also validated).
        const shallow = await git(['-c', 'protocol.version=2', 'fetch', '-q', '--depth', '1', '--no-tags', '--', src.url, ref], 'fetch', /^[0-9a-f]{7,40}$/i.test(ref));
        if (shallow.code !== 0) {
            // Servers that refuse to serve an arbitrary commit shallowly: fetch everything, then check it out.
            await git(['fetch', '-q', '--no-tags', '--', src.url, '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'], 'fetch');
            // The `--` after the commit: it is never read as a path (or, validated, as an option).
            await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', ref, '--'], 'checkout');
        }
        else {
            await git(['-c', 'advice.detachedHead=false', 'checkout', '-q', '--detach', 'FETCH_HEAD', '--'], 'checkout');
        }
        const head = await git(['rev-parse', '--verify', 'HEAD^{commit}'], 'rev-parse');
        const dir = src.subdir ? external_node_path_default().join(into, ...src.subdir.split('/')) : into;
        if (!external_node_fs_default().existsSync(dir) || !external_node_fs_default().statSync(dir).isDirectory()) {
            throw new errors/* AtmosError */.f7(`source ${displayUri}${at} has no folder ${src.subdir}`);
        }
        return { dir, identity: head.stdout.trim() };
    }
    finally {
        clearTimeout(timer);
    }
}
function formatSeconds(ms) {
    return ms % 1000 === 0 ? (0,workdir_ttl/* formatDuration */.a3)(ms) : `${(ms / 1000).toFixed(1)}s`;
}

// EXTERNAL MODULE: ./src/workdir/source-guard.ts
var source_guard = __webpack_require__(20107);
// EXTERNAL MODULE: ./src/workdir/sync.ts
var workdir_sync = __webpack_require__(50765);
// EXTERNAL MODULE: ./src/templates/index.ts + 28 modules
var templates = __webpack_require__(62710);
// EXTERNAL MODULE: ./src/util/yaml.ts + 3 modules
var yaml = __webpack_require__(27800);
;// CONCATENATED MODULE: ./src/workdir/vendor-hint.ts
/**
 * Why a component folder is missing, when the repository vendors its components
 * (docs/atmos-compatibility.md §6.8): the Atmos vendor manifest that lists a source for that
 * folder, and the command that fills it. Only read when the folder is missing; best effort (a
 * manifest that cannot be read gives no hint, never a different error).
 */





/**
 * The manifests Atmos reads for `atmos vendor pull`: `vendor.base_path` of atmos.yaml (a file, or
 * a folder whose `*.yaml`/`*.yml` files are read in name order), else `vendor.yaml` (or
 * `vendor.yml`) in the base path.
 */
function vendorManifests(basePath, vendorBasePath) {
    if (vendorBasePath) {
        const st = external_node_fs_default().statSync(vendorBasePath, { throwIfNoEntry: false });
        const files = st?.isFile()
            ? [vendorBasePath]
            : st?.isDirectory()
                ? external_node_fs_default().readdirSync(vendorBasePath)
                    .filter((n) => /\.ya?ml$/.test(n))
                    .sort()
                    .map((n) => external_node_path_default().join(vendorBasePath, n))
                : [];
        return { files, targetRoot: external_node_path_default().dirname(vendorBasePath) };
    }
    const files = ['vendor.yaml', 'vendor.yml'].map((n) => external_node_path_default().join(basePath, n)).filter((f) => external_node_fs_default().statSync(f, { throwIfNoEntry: false })?.isFile());
    return { files, targetRoot: basePath };
}
/** The vendor sources whose target is `folder` (or a folder holding it). */
function vendorSourcesFor(folder, manifests) {
    const want = external_node_path_default().resolve(folder);
    return manifests.files.flatMap((file) => targetsOf(file, manifests.targetRoot)).filter((t) => want === t.target || want.startsWith(t.target + (external_node_path_default()).sep));
}
/**
 * Every target of one manifest's `spec.sources`, rendered as Atmos renders them (`{{ .Component }}`,
 * `{{ .Version }}`, a target's own `version` replacing the source's) and made absolute against `root`.
 */
function targetsOf(file, root) {
    let doc;
    try {
        doc = (0,yaml/* parseYaml */.hN)(external_node_fs_default().readFileSync(file, 'utf8'), file);
    }
    catch {
        return [];
    }
    const sources = doc?.spec?.sources;
    if (!Array.isArray(sources))
        return [];
    const out = [];
    for (const s of sources) {
        if (!s || typeof s !== 'object' || typeof s.source !== 'string')
            continue;
        const component = typeof s.component === 'string' ? s.component : undefined;
        const text = (v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
        for (const t of Array.isArray(s.targets) ? s.targets : []) {
            // A target is a path, or {path, version}.
            const entry = t !== null && typeof t === 'object' ? t : { path: t };
            const raw = text(entry.path);
            const version = text(entry.version) ?? text(s.version);
            if (!raw)
                continue;
            const render = (tpl) => (0,templates/* compileTemplate */.Gq)(tpl.trim(), { name: file }).execute({ Component: component ?? '', Version: version ?? '' });
            try {
                out.push({ file, component, source: (0,redact/* redactSecrets */.fp)(render(s.source)), version, target: external_node_path_default().resolve(root, render(raw)) });
            }
            catch {
                // a target that does not render gives no hint
            }
        }
    }
    return out;
}
/** The sentence to add to "the component folder … does not exist", or '' when no vendor manifest lists it. */
function vendorHint(folder, basePath, vendorBasePath) {
    const manifests = vendorManifests(basePath, vendorBasePath);
    if (manifests.files.length === 0)
        return '';
    const matches = vendorSourcesFor(folder, manifests);
    const shown = (f) => external_node_path_default().relative(basePath, f) || f;
    if (matches.length === 0) {
        return `; the vendor manifest (${manifests.files.map(shown).join(', ')}) lists no source for it`;
    }
    const m = matches[0];
    const pull = m.component ? `atmos vendor pull --component ${m.component}` : 'atmos vendor pull';
    return (`; it is vendored: ${shown(m.file)} lists ${m.component ? `component ${m.component}, ` : ''}source ${m.source}` +
        `${m.version ? ` at version ${m.version}` : ''}, into ${shown(m.target)}. Run \`${pull}\` to fill it, then run again`);
}

;// CONCATENATED MODULE: ./src/workdir/provision.ts
/**
 * Provisioning one instance's workdir: local sync or remote (JIT) source, lock-file seeding,
 * metadata, all under the instance's cross-process lock, with a sentinel written last so a workdir
 * left half-done by a killed process is redone rather than trusted.
 *
 * Over 300 lines (about 360): everything here runs under one lock acquisition, and the pure
 * decision of what to do already lives in decide.ts; the rest is the ordered steps done while
 * holding it, plus the up-front checks of the source (local, fetched, missing but generated).
 */



















/** Plan files: written into the workdir by plan, read by a later apply; kept by the sync. */
const DEFAULT_PRESERVE = ['*.planfile', '*.tfplan'];
/** Generated into the workdir after every provision (docs/atmos-compatibility.md §6.3): removed quietly, then rewritten by the terraform step. */
const DEFAULT_REGENERATED = ['backend.tf.json', 'providers_override.tf.json', '*.terraform.tfvars.json'];
function describeInstance(i) {
    return `component ${i.component} in stack ${i.stack}`;
}
/** Provisions one instance's workdir. Throws AtmosError for bad config or unreadable sources. */
async function provisionWorkdir(instance, opts, ports) {
    const started = Date.now();
    const where = describeInstance(instance);
    const wd = (0,paths/* buildWorkdirPath */.Sb)(opts.basePath, instance.stack, instance.component);
    const spec = parseSourceSpec(instance.source && Object.keys(instance.source).length ? instance.source : undefined, where);
    // Validate everything that can be wrong with the config before taking a lock or touching disk.
    const ttlText = spec ? (spec.ttl ?? opts.defaultTtl) : undefined;
    const ttl = ttlText === undefined ? undefined : (0,workdir_ttl/* parseTtl */.Kw)(ttlText, `source.ttl of ${where}`);
    // A relative local source is a folder under the base path: where Atmos, run from there, finds it.
    const resolved = spec ? resolveSourceUri(spec, where, opts.basePath) : undefined;
    const sourceType = !spec || resolved?.kind === 'local' ? 'local' : 'remote';
    const generated = opts.generated?.(instance) ?? [];
    // Where a fetched source runs terraform in its `<base component>/` sub-folder (§6.2), the files land there.
    const generatedRel = new Set(spec ? generated.flatMap((n) => [n, `${instance.baseComponent}/${n}`]) : generated);
    let componentMissing = false;
    if (!spec) {
        const st = external_node_fs_default().statSync(instance.componentPath, { throwIfNoEntry: false });
        if (!st?.isDirectory()) {
            const hint = vendorHint(instance.componentPath, opts.basePath, opts.vendorBasePath);
            if (generated.length === 0)
                throw new errors/* AtmosError */.f7(`the component folder ${instance.componentPath} of ${where} does not exist${hint}`, { file: instance.componentPath });
            // Atmos creates the folder and generates into it; the shared tree is never written: the workdir starts empty.
            componentMissing = true;
        }
    }
    const preserveGlobs = opts.preserve ?? DEFAULT_PRESERVE;
    const preserve = preserveGlobs.length ? picomatch_default()(preserveGlobs, { dot: true }) : undefined;
    const regeneratedGlobs = opts.regenerated ?? DEFAULT_REGENERATED;
    const regeneratedGlob = regeneratedGlobs.length ? picomatch_default()(regeneratedGlobs, { dot: true }) : undefined;
    const regenerated = (rel) => generatedRel.has(rel) || (regeneratedGlob?.(rel) ?? false);
    const notGenerated = (rel, isDir) => isDir || !generatedRel.has(rel);
    const lockKey = (0,paths/* workdirLockKey */.ni)(opts.basePath, instance.stack, instance.component);
    // A link on the way to the lock or the workdir would redirect our writes and deletes: refuse it first.
    await (0,guard/* ensureStateDir */.xH)(opts.basePath, external_node_path_default().dirname(lockKey), 'lock folder');
    (0,guard/* guardStatePath */.sx)(opts.basePath, wd, 'workdir');
    return (0,lock/* withLock */.kK)(lockKey, async () => {
        await opts.hooks?.onLocked?.();
        // Again under the lock: this is the check the writes below rely on.
        await (0,guard/* ensureStateDir */.xH)(opts.basePath, wd, 'workdir');
        await (0,guard/* repairAtmosDir */.TV)(wd, (m) => ports.log.warn(`workdir ${instance.stack}/${instance.component}: ${m}`));
        const sp = (0,paths/* sentinelPath */.gE)(wd);
        const existed = external_node_fs_default().existsSync(wd) && external_node_fs_default().readdirSync(wd).some((n) => n !== paths/* ATMOS_DIR */.te);
        const complete = existed && (0,lock/* sentinelExists */.lM)(sp);
        const ip = (0,paths/* inProgressPath */.Is)(wd);
        const recovered = existed && !complete && external_node_fs_default().existsSync(ip);
        const prevRead = (0,metadata/* readMetadata */._6)(wd);
        if (prevRead.ok === false && prevRead.reason === 'invalid')
            ports.log.warn(`${prevRead.file}: unreadable workdir metadata (${prevRead.error}); rewriting it`);
        const prev = prevRead.ok ? prevRead.metadata : null;
        const now = ports.clock.now();
        let sync = null;
        let sourceDir;
        let identity;
        let tmp = null;
        const syncOpts = {
            manifest: complete ? (0,metadata/* readManifest */.WI)(wd) : null,
            preserve,
            regenerated,
            beforeFirstChange: async () => {
                await (0,lock/* clearSentinel */.sO)(sp);
                await (0,lock/* writeSentinel */.qg)(ip, { stack: instance.stack, component: instance.component });
            },
            afterCopy: opts.hooks?.afterCopy,
            include: notGenerated,
        };
        try {
            const source = spec
                ? { kind: 'remote', uri: redactUri(spec.uri), version: spec.version ?? (resolved?.kind === 'git' ? resolved.ref : undefined), ttl }
                : { kind: 'local', path: instance.componentPath };
            const decision = decideProvision({ existed, complete, recovered, prev }, source, now);
            if (decision.kind === 'local') {
                sourceDir = instance.componentPath;
                if (componentMissing) {
                    tmp = await scratchFolder(opts.basePath);
                    sourceDir = tmp;
                }
                sync = await (0,workdir_sync/* syncTree */.SP)(sourceDir, wd, syncOpts);
            }
            else if (decision.kind === 'remote-current') {
                sourceDir = null;
            }
            else {
                const { uri, version } = source;
                tmp = await scratchFolder(opts.basePath);
                ports.log.info(`workdir ${instance.stack}/${instance.component}: fetching ${uri}${version ? ` at ${version}` : ''} (${decision.why})`);
                if (resolved.kind === 'git') {
                    const fetched = await fetchGitSource(resolved, tmp, { exec: ports.exec, env: ports.env ?? {}, githubToken: ports.githubToken, timeoutMs: opts.gitTimeoutMs }, uri);
                    sourceDir = fetched.dir;
                    identity = fetched.identity;
                }
                else {
                    sourceDir = resolved.subdir ? external_node_path_default().join(resolved.dir, ...resolved.subdir.split('/')) : resolved.dir;
                    if (!external_node_fs_default().statSync(sourceDir, { throwIfNoEntry: false })?.isDirectory()) {
                        throw new errors/* AtmosError */.f7(`source ${uri} of ${where}: folder ${sourceDir} does not exist`, { file: sourceDir });
                    }
                    (0,source_guard/* refuseOverlap */.Qv)(sourceDir, (0,paths/* stateRoot */.om)(opts.basePath), `source ${uri} of ${where}`);
                }
                const filter = sourceFilter(spec);
                sync = await (0,workdir_sync/* syncTree */.SP)(sourceDir, wd, { ...syncOpts, include: (rel, isDir) => filter(rel, isDir) && notGenerated(rel, isDir) });
            }
            const outcome = describeOutcome(decision, source, sync);
            const { action } = outcome;
            const reason = componentMissing && action === 'created'
                ? `created without files: the component folder ${instance.componentPath} does not exist; its generate: section provides the module`
                : outcome.reason;
            const lockFile = sourceDir
                ? await (0,lock_seed/* seedLockFile */.$Z)(sourceDir, wd, instance, prev?.lock_file_seed)
                : { action: 'kept', seed: prev?.lock_file_seed };
            if (sync?.manifestDirty)
                await (0,metadata/* writeManifest */.HN)(wd, sync.manifest);
            const contentChanged = !existed || (sync !== null && sync.changed);
            const meta = {
                component: instance.component,
                stack: instance.stack,
                // Atmos's rule: a `source:` that is a folder on this machine is a local source too.
                source_type: sourceType,
                source: spec ? redactUri(spec.uri) : instance.componentPath,
                source_uri: spec ? redactUri(spec.uri) : undefined,
                source_version: spec ? (spec.version ?? (resolved?.kind === 'git' ? resolved.ref : undefined)) : undefined,
                source_resolved: resolved?.kind === 'git' ? redactUri(resolved.url) : undefined,
                source_identity: spec ? (sourceDir ? identity : prev?.source_identity) : undefined,
                created_at: prev?.created_at ?? (0,metadata/* timestamp */.vE)(now),
                // Remote: a re-fetch restarts the TTL even when the content came back identical.
                updated_at: contentChanged || (spec && sourceDir) || !prev ? (0,metadata/* timestamp */.vE)(now) : prev.updated_at,
                last_accessed: (0,metadata/* timestamp */.vE)(now),
                content_hash: sync ? sync.manifest.content_hash || undefined : prev?.content_hash,
                lock_file_seed: lockFile.seed,
            };
            await (0,metadata/* writeMetadata */.f5)(wd, meta);
            // Last step: from here on the workdir is trusted as complete.
            if (!(0,lock/* sentinelExists */.lM)(sp))
                await (0,lock/* writeSentinel */.qg)(sp, { stack: instance.stack, component: instance.component });
            await (0,lock/* clearSentinel */.sO)(ip);
            const remoteSubdir = spec ? external_node_path_default().join(wd, ...(safeSubdir(instance.baseComponent) ?? [])) : wd;
            const terraformDir = spec && remoteSubdir !== wd && external_node_fs_default().statSync(remoteSubdir, { throwIfNoEntry: false })?.isDirectory() ? remoteSubdir : wd;
            const result = {
                stack: instance.stack,
                component: instance.component,
                path: wd,
                terraformDir,
                action,
                reason,
                changed: contentChanged,
                sourceType,
                added: sync?.added ?? [],
                updated: sync?.updated ?? [],
                removed: sync?.removed ?? [],
                counts: {
                    added: sync?.added.length ?? 0,
                    updated: sync?.updated.length ?? 0,
                    removed: sync?.removed.length ?? 0,
                    unchanged: sync?.unchanged ?? 0,
                    hashed: sync?.hashed ?? 0,
                },
                lockFile: { action: lockFile.action, from: lockFile.seed?.file },
                recovered,
                metadata: meta,
                durationMs: Date.now() - started,
            };
            ports.log.info(`workdir ${instance.stack}/${instance.component}: ${reason}`);
            await opts.hooks?.beforeRelease?.(result);
            if (lockFile.action === 'seeded' || lockFile.action === 'reseeded') {
                ports.log.info(`workdir ${instance.stack}/${instance.component}: .terraform.lock.hcl ${lockFile.action} from ${lockFile.seed.file}`);
            }
            return result;
        }
        finally {
            if (tmp)
                await external_node_fs_default().promises.rm(tmp, { recursive: true, force: true }).catch(() => { });
        }
    }, {
        ...opts.lock,
        onWait: (owner) => {
            ports.log.info(`waiting for ${instance.stack}/${instance.component}, ` +
                (owner ? `held by pid ${owner.pid} on ${owner.host} since ${owner.since}` : 'held by another process'));
            opts.lock?.onWait?.(owner);
        },
    });
}
/** A new, empty folder in the scratch space (same filesystem as the workdirs); the caller removes it. */
async function scratchFolder(basePath) {
    await (0,guard/* ensureStateDir */.xH)(basePath, (0,paths/* workdirTmpRoot */.kZ)(basePath), 'scratch folder');
    const dir = (0,paths/* workdirScratchPath */.sF)(basePath, process.pid, (0,external_node_crypto_.randomBytes)(4).toString('hex'));
    await external_node_fs_default().promises.mkdir(dir);
    return dir;
}
/** The base component as a sub-folder of a fetched source, when it is a safe relative path (§6.2). */
function safeSubdir(name) {
    try {
        return (0,safe_path/* safeRelativeSegments */.c)(name, 'base component');
    }
    catch {
        return null;
    }
}
/**
 * Provisions many instances, `parallelism` at a time. One failing never stops the others; the
 * caller reports failures (one message each) and decides the exit code. Refuses up front a selection in which two instances would share
 * a workdir.
 */
async function provisionWorkdirs(instances, opts, ports) {
    (0,paths/* assertDistinctWorkdirs */.sO)(instances);
    const nodes = instances.map((instance) => ({ key: (0,identity/* instanceKey */.pA)(instance), value: instance }));
    const results = await (0,schedule/* schedule */._)(nodes, (instance) => provisionWorkdir(instance, opts, ports), { parallelism: opts.parallelism ?? 4, failFast: false });
    return results.map((r, i) => r.status === 'ok' ? { instance: instances[i], result: r.value } : { instance: instances[i], error: asError(r.status === 'failed' ? r.error : r.reason) });
}
function asError(e) {
    return e instanceof Error ? e : new Error(String(e));
}


/***/ }),

/***/ 20107:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $h: () => (/* binding */ SOURCE_LIMITS),
/* harmony export */   Qv: () => (/* binding */ refuseOverlap),
/* harmony export */   Zo: () => (/* binding */ sourceGuard)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(70017);
/**
 * The rules a source walk applies to symlinks, and its bounds (see sync.ts, which walks the
 * source with these).
 */



const SOURCE_LIMITS = { maxEntries: 100_000, maxBytes: 2 * 1024 ** 3 };
/**
 * Symlink rules and limits for a source walk. A link is followed only when its target, resolved
 * (through every link on the way), stays inside the source root: a committed link to a file or
 * folder outside (`secret.tf -> /home/runner/.ssh/id_rsa`, `shared -> ../../..`) is an error naming
 * it, never copied. Links inside the root are copied as their content.
 */
function sourceGuard(rootAbs, limits) {
    let rootReal;
    try {
        rootReal = node_fs__WEBPACK_IMPORTED_MODULE_0___default().realpathSync.native(rootAbs);
    }
    catch (e) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`cannot read folder ${rootAbs}: ${e.message}`, { file: rootAbs, cause: e });
    }
    let entries = 0;
    let bytes = 0;
    return {
        rootReal,
        followLink(abs, rel) {
            let target;
            try {
                target = node_fs__WEBPACK_IMPORTED_MODULE_0___default().realpathSync.native(abs);
            }
            catch (e) {
                const code = e.code;
                const why = code === 'ELOOP' ? 'is a symlink loop' : code === 'ENOENT' ? 'is a broken symlink' : `cannot be resolved (${e.message})`;
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`${rel} in the component source ${rootAbs} ${why}`, { file: abs });
            }
            if (target !== rootReal && !target.startsWith(rootReal + (node_path__WEBPACK_IMPORTED_MODULE_1___default().sep))) {
                let text = '?';
                try {
                    text = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readlinkSync(abs);
                }
                catch {
                    // gone meanwhile: the message still names the link
                }
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`${rel} in the component source ${rootAbs} is a symlink to ${JSON.stringify(text)}, outside the source: ` +
                    `links may only point inside the component's folder (its target is never copied)`, { file: abs });
            }
            return { st: node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(target), real: target };
        },
        countEntry() {
            if (++entries > limits.maxEntries) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`the component source ${rootAbs} has more than ${limits.maxEntries} files and folders (each path through a symlink counts); ` +
                    `symlinks that fan out (folders linking to the same folder several times) are the usual cause`, { file: rootAbs });
            }
        },
        countBytes(n) {
            bytes += n;
            if (bytes > limits.maxBytes) {
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`the component source ${rootAbs} holds more than ${Math.round(limits.maxBytes / 1024 ** 2)} MB of files (each path through a symlink counts)`, { file: rootAbs });
            }
        },
    };
}
/**
 * A local source folder must neither hold the workdir tree nor lie inside it: copying `.` (the
 * base path) would copy every workdir into each one, a bigger copy every run.
 */
function refuseOverlap(sourceDir, workdirTree, what) {
    const real = (p) => {
        try {
            return node_fs__WEBPACK_IMPORTED_MODULE_0___default().realpathSync.native(p);
        }
        catch {
            return node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(p);
        }
    };
    const src = real(sourceDir);
    const tree = real(workdirTree);
    const inside = (a, b) => a === b || a.startsWith(b + (node_path__WEBPACK_IMPORTED_MODULE_1___default().sep));
    if (inside(tree, src) || inside(src, tree)) {
        throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .AtmosError */ .f7(`${what}: the folder ${sourceDir} holds or is inside the workdir tree ${workdirTree}; point the source at the module's own folder`, {
            file: sourceDir,
        });
    }
}


/***/ }),

/***/ 50765:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SP: () => (/* binding */ syncTree),
/* harmony export */   VA: () => (/* binding */ isExcludedFile),
/* harmony export */   Xg: () => (/* binding */ LOCK_FILE_SUFFIX),
/* harmony export */   g6: () => (/* binding */ isExcludedDir)
/* harmony export */ });
/* unused harmony exports EXCLUDED_DIRS, EXCLUDED_ROOT_FILES, RACY_MS */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(76760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(55571);
/* harmony import */ var _graph_schedule_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(84407);
/* harmony import */ var _util_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(70017);
/* harmony import */ var _util_paths_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(24964);
/* harmony import */ var _hash_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(27106);
/* harmony import */ var _source_guard_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(20107);
/* harmony import */ var _metadata_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(27279);
/**
 * Incremental one-way sync, source folder → workdir (docs/atmos-compatibility.md §6.3), with a per-file manifest so
 * the no-change path reads no file contents.
 *
 * What a file must look like to count as unchanged without reading it:
 *  - source side: size, mtime, ctime, inode and permission bits all equal to what the manifest
 *    recorded when it last hashed the file, and the file's mtime is older than the previous sync's
 *    start by more than RACY_MS ("racy git": a write in the same timestamp tick as our stat would
 *    otherwise be invisible). Anything else is re-hashed (SHA-256).
 *  - workdir side: size, mtime, ctime and inode equal to what we recorded right after we wrote or
 *    verified the copy, and the source hash equal to the recorded one. ctime cannot be set from
 *    user space, so an edit to the copy (even one that restores the mtime) is noticed.
 * The manifest is only passed in when the previous provision completed (its sentinel exists);
 * after a crash every file is compared by content.
 * This trusts that nothing rewrites a file and restores size, mtime, ctime and inode (which takes
 * changing the system clock), and that the filesystem's timestamps advance within RACY_MS.
 *
 * Longer than 300 lines on purpose: the walk, the compare-or-copy pass and the removal pass share
 * the manifest, the trust rules above and the "first change" hook; split apart, each rule would be
 * checked in one file and relied on in another.
 */









/** Directories never synced, at any depth, either way: metadata, terraform's data dir, workspace state. */
const EXCLUDED_DIRS = new Set([_util_paths_js__WEBPACK_IMPORTED_MODULE_5__/* .ATMOS_DIR */ .te, '.terraform', 'terraform.tfstate.d']);
/**
 * Root-level files never synced either way: local state, its lock, the backup of the last save, and
 * `errored.tfstate`, which terraform writes when it cannot save state and asks the user to
 * `terraform state push`: deleting it would lose resources terraform created.
 */
const EXCLUDED_ROOT_FILES = new Set([
    'terraform.tfstate',
    'terraform.tfstate.backup',
    'errored.tfstate',
    '.terraform.tfstate.lock.info',
]);
/** Any file with this suffix (the canonical lock file and per-instance ones) is managed by the lock-file seeding, not the sync. */
const LOCK_FILE_SUFFIX = '.terraform.lock.hcl';
/** Generous bound on filesystem timestamp granularity (FAT: 2 s; ext4/xfs/apfs: a clock tick). */
const RACY_MS = 2000;
function isExcludedDir(name) {
    return EXCLUDED_DIRS.has(name);
}
/** `rel` uses forward slashes. */
function isExcludedFile(rel) {
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    return name.endsWith(LOCK_FILE_SUFFIX) || (!rel.includes('/') && EXCLUDED_ROOT_FILES.has(name));
}
const yieldToLoop = () => new Promise((r) => setImmediate(r));
/**
 * Walks a tree with synchronous readdir/stat (an order of magnitude cheaper per entry than the
 * promise API, which is what keeps the no-change path cheap), yielding to the event loop every few
 * thousand entries so lock refresh timers keep running on huge trees.
 */
async function walk(root, opts) {
    const tree = { files: new Map(), dirs: [], others: new Map() };
    const seenDirs = new Set();
    let budget = 2000;
    const rootAbs = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(root);
    const source = opts.followLinks ? (0,_source_guard_js__WEBPACK_IMPORTED_MODULE_7__/* .sourceGuard */ .Zo)(rootAbs, opts.limits ?? _source_guard_js__WEBPACK_IMPORTED_MODULE_7__/* .SOURCE_LIMITS */ .$h) : null;
    const visit = async (absDir, relDir) => {
        let id = '';
        if (opts.followLinks) {
            // Symlinked directories are followed; a link back up the tree must not loop forever.
            const st = node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(absDir);
            id = `${st.dev}:${st.ino}`;
            if (seenDirs.has(id))
                throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .AtmosError */ .f7(`symlink loop in the component folder at ${absDir}`, { file: absDir });
            seenDirs.add(id);
        }
        let entries;
        try {
            entries = node_fs__WEBPACK_IMPORTED_MODULE_0___default().readdirSync(absDir, { withFileTypes: true });
        }
        catch (e) {
            throw new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .AtmosError */ .f7(`cannot read folder ${absDir}: ${e.message}`, { file: absDir, cause: e, kind: 'instance' });
        }
        const subdirs = [];
        for (const d of entries) {
            if (--budget <= 0) {
                budget = 2000;
                await yieldToLoop();
            }
            // Excluded names are never synced either way, whatever they are: a `.terraform` that is a link
            // to a shared cache (or a file) is left alone, never followed, replaced or deleted.
            if (isExcludedDir(d.name))
                continue;
            const rel = relDir ? `${relDir}/${d.name}` : d.name;
            // absDir is already normalised and d.name has no separator: plain concatenation is exact
            // (and path.join's normalisation is a measurable share of the no-change path).
            const abs = absDir + (node_path__WEBPACK_IMPORTED_MODULE_1___default().sep) + d.name;
            let isDir = d.isDirectory();
            let st;
            source?.countEntry();
            // A Dirent of unknown type (some filesystems) is looked at with lstat, so a link is never missed.
            let from = abs;
            if (source && (d.isSymbolicLink() || (!isDir && !d.isFile() && node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(abs).isSymbolicLink()))) {
                // A link that would be left out anyway (`.terraform` linked to a cache, an excluded path) is
                // not followed, so it is neither copied nor refused.
                if (isExcludedDir(d.name) || (opts.include && !opts.include(rel, true) && !opts.include(rel, false)))
                    continue;
                // Walk on from the link's real target: paths stay short however many links lead there.
                ({ st, real: from } = source.followLink(abs, rel));
                isDir = st.isDirectory();
            }
            if (isDir) {
                if (isExcludedDir(d.name))
                    continue;
                if (opts.include && !opts.include(rel, true))
                    continue;
                subdirs.push([from, rel]);
                continue;
            }
            if (isExcludedFile(rel))
                continue;
            if (opts.include && !opts.include(rel, false))
                continue;
            st ??= opts.followLinks ? node_fs__WEBPACK_IMPORTED_MODULE_0___default().statSync(abs) : node_fs__WEBPACK_IMPORTED_MODULE_0___default().lstatSync(abs);
            if (st.isFile())
                source?.countBytes(st.size);
            if (st.isFile())
                tree.files.set(rel, { abs: from, st });
            else if (!opts.followLinks)
                tree.others.set(rel, { abs, st });
            // Source sockets/fifos/devices are not part of a Terraform module: skipped.
        }
        for (const [abs, rel] of subdirs) {
            tree.dirs.push(rel);
            await visit(abs, rel);
        }
        if (id)
            seenDirs.delete(id);
    };
    await visit(source ? source.rootReal : rootAbs, '');
    return tree;
}
const perm = (st) => st.mode & 0o7777;
/** Runs `fn` over `items`, `n` at a time; after a failure nothing new starts, and the first error is thrown once the running ones finished. */
async function pool(items, n, fn) {
    const results = await (0,_graph_schedule_js__WEBPACK_IMPORTED_MODULE_3__/* .schedule */ ._)(items.map((key) => ({ key, value: key })), fn, { parallelism: n, failFast: true });
    const failed = results.find((r) => r.status === 'failed');
    if (failed)
        throw failed.error;
}
function fsError(what, file, e) {
    return new _util_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .AtmosError */ .f7(`${what} ${file}: ${e.message}`, { file, cause: e });
}
/** Syncs `src` into `dst` (which must exist). See the module comment for what "unchanged" trusts. */
async function syncTree(src, dst, opts) {
    const startedAt = Date.now();
    const prev = opts.manifest;
    const srcTree = await walk(src, { followLinks: true, include: opts.include, limits: { ..._source_guard_js__WEBPACK_IMPORTED_MODULE_7__/* .SOURCE_LIMITS */ .$h, ...opts.limits } });
    const dstTree = await walk(dst, { followLinks: false });
    const result = {
        added: [],
        updated: [],
        removed: [],
        unchanged: 0,
        hashed: 0,
        changed: false,
        manifest: { version: 2, started_at_ms: startedAt, files: {}, content_hash: '' },
        manifestDirty: !prev,
    };
    let firstChange = null;
    const mutate = async () => {
        result.changed = true;
        firstChange ??= opts.beforeFirstChange ? opts.beforeFirstChange() : Promise.resolve();
        await firstChange;
    };
    // 1. Directories: make the source's folders exist (parents first), replacing a file in the way.
    const srcDirSet = new Set(srcTree.dirs);
    const dstDirSet = new Set(dstTree.dirs);
    for (const rel of srcTree.dirs) {
        if (dstDirSet.has(rel))
            continue;
        await mutate();
        const abs = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dst, rel);
        try {
            if (dstTree.files.has(rel) || dstTree.others.has(rel)) {
                await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(abs, { force: true });
                dstTree.files.delete(rel);
                dstTree.others.delete(rel);
                result.removed.push(rel);
            }
            await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.mkdir(abs, { recursive: true });
        }
        catch (e) {
            throw fsError('cannot create folder', abs, e);
        }
    }
    // 2. Files: decide per file, copy what differs.
    const prevStart = prev?.started_at_ms ?? 0;
    const entries = result.manifest.files;
    // Fast path, synchronous and allocation-free: a file whose source and copy both still match the
    // manifest keeps its manifest entry as is. Only the rest goes through the async pool below.
    const toCheck = [];
    for (const [rel, s] of srcTree.files) {
        const old = prev?.files[rel];
        const d = dstTree.files.get(rel);
        if (old &&
            d &&
            (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .sameSource */ .eP)(old, s.st) &&
            (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .entryMode */ .or)(old) === perm(s.st) &&
            s.st.mtimeMs < prevStart - RACY_MS &&
            (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .sameCopy */ .Ch)(old, d.st) &&
            perm(d.st) === (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .entryMode */ .or)(old)) {
            entries[rel] = old;
            result.unchanged++;
        }
        else {
            toCheck.push(rel);
        }
    }
    await pool(toCheck, opts.concurrency ?? 16, async (rel) => {
        const s = srcTree.files.get(rel);
        const old = prev?.files[rel];
        const mode = perm(s.st);
        let sha;
        if (old && (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .sameSource */ .eP)(old, s.st) && (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .entryMode */ .or)(old) === mode && s.st.mtimeMs < prevStart - RACY_MS) {
            sha = (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .entrySha */ .ze)(old);
        }
        else {
            result.hashed++;
            result.manifestDirty = true;
            try {
                sha = await (0,_hash_js__WEBPACK_IMPORTED_MODULE_6__/* .sha256File */ .Q3)(s.abs);
            }
            catch (e) {
                throw fsError('cannot read', s.abs, e);
            }
        }
        const dAbs = node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dst, rel);
        const d = dstTree.files.get(rel);
        let dStat = d?.st;
        let action = null;
        if (!d) {
            action = dstTree.others.has(rel) || dstDirSet.has(rel) ? 'updated' : 'added';
        }
        else {
            let same;
            if (old && (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .sameCopy */ .Ch)(old, d.st) && (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .entrySha */ .ze)(old) === sha)
                same = true;
            else if (d.st.size !== s.st.size)
                same = false;
            else {
                result.hashed++;
                result.manifestDirty = true;
                same = (await (0,_hash_js__WEBPACK_IMPORTED_MODULE_6__/* .sha256File */ .Q3)(d.abs).catch(() => '')) === sha;
            }
            if (!same)
                action = 'updated';
            else if (perm(d.st) !== mode)
                action = 'mode';
        }
        if (action === 'mode') {
            await mutate();
            try {
                await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.chmod(dAbs, mode);
                dStat = await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.lstat(dAbs);
            }
            catch (e) {
                throw fsError('cannot change the mode of', dAbs, e);
            }
            result.updated.push(rel);
        }
        else if (action) {
            await mutate();
            if (!d && (dstTree.others.has(rel) || dstDirSet.has(rel))) {
                // A symlink or folder where the source has a file: replace it.
                await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(dAbs, { recursive: true, force: true });
            }
            dStat = await copyFileInto(s.abs, dAbs, mode, action === 'added');
            (action === 'added' ? result.added : result.updated).push(rel);
            await opts.afterCopy?.(rel);
        }
        else {
            result.unchanged++;
        }
        if (action)
            result.manifestDirty = true;
        entries[rel] = (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .manifestEntry */ .m6)(s.st, mode, sha, dStat);
    });
    // 3. Remove what left the source (never excluded paths: they were not walked; never preserved files).
    for (const [rel, e] of [...dstTree.files, ...dstTree.others]) {
        if (srcTree.files.has(rel) || srcDirSet.has(rel))
            continue;
        if (opts.preserve?.(rel))
            continue;
        const quiet = opts.regenerated?.(rel) ?? false;
        if (!quiet)
            await mutate();
        try {
            await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(e.abs, { force: true });
        }
        catch (err) {
            throw fsError('cannot delete', e.abs, err);
        }
        if (!quiet)
            result.removed.push(rel);
    }
    // Folders that left the source, deepest first; one still holding excluded or preserved content stays.
    for (const rel of [...dstTree.dirs].reverse()) {
        if (srcDirSet.has(rel))
            continue;
        try {
            await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rmdir(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(dst, rel));
            await mutate();
        }
        catch {
            // ENOTEMPTY: it holds .terraform/ or a preserved file; leave it.
        }
    }
    if (result.changed)
        result.manifestDirty = true;
    // Reuse the previous content hash when nothing changed and every hash came from the manifest.
    result.manifest.content_hash =
        !result.manifestDirty && prev?.content_hash ? prev.content_hash : (0,_hash_js__WEBPACK_IMPORTED_MODULE_6__/* .contentHash */ .Ae)(Object.entries(entries).map(([rel, e]) => [rel, (0,_metadata_js__WEBPACK_IMPORTED_MODULE_8__/* .entrySha */ .ze)(e)]));
    if (!result.manifestDirty)
        result.manifest.started_at_ms = prevStart;
    for (const list of [result.added, result.updated, result.removed])
        list.sort();
    return result;
}
/**
 * Copies one file. An existing file is replaced atomically (temp + rename): the destination is the
 * old file or the complete new one, and a process killed mid-copy leaves at worst a `.name.tmp-*`
 * file that the next sync deletes as not in the source. A new file is written in place (half the
 * syscalls on a first provision): if the process dies mid-write, the sentinel is missing, so the
 * next sync compares it by content and replaces it. Reflinks where the filesystem supports them.
 */
async function copyFileInto(srcAbs, dstAbs, mode, isNew) {
    if (isNew) {
        try {
            await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.copyFile(srcAbs, dstAbs, (node_fs__WEBPACK_IMPORTED_MODULE_0___default().constants).COPYFILE_FICLONE | (node_fs__WEBPACK_IMPORTED_MODULE_0___default().constants).COPYFILE_EXCL);
            let st = await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.lstat(dstAbs);
            if (perm(st) !== mode) {
                await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.chmod(dstAbs, mode);
                st = await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.lstat(dstAbs);
            }
            return st;
        }
        catch (e) {
            // EEXIST: something appeared since the walk; fall back to replacing it atomically.
            if (e.code !== 'EEXIST')
                throw fsError(`cannot copy ${srcAbs} to`, dstAbs, e);
        }
    }
    const tmp = (0,_util_atomic_fs_js__WEBPACK_IMPORTED_MODULE_2__/* .tempNameFor */ .D)(dstAbs);
    try {
        await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.copyFile(srcAbs, tmp, (node_fs__WEBPACK_IMPORTED_MODULE_0___default().constants).COPYFILE_FICLONE);
        // copyFile keeps the source mode on Linux/macOS, but not everywhere (and not through some
        // mounts); the mode is part of "same file", so make sure.
        const st = await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.lstat(tmp);
        if (perm(st) !== mode)
            await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.chmod(tmp, mode);
        await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rename(tmp, dstAbs);
        // rename keeps the inode, size and times: the stat to record is the temp file's (ctime moves on rename on some filesystems, so re-stat).
        return await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.lstat(dstAbs);
    }
    catch (e) {
        await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.rm(tmp, { force: true }).catch(() => { });
        throw fsError(`cannot copy ${srcAbs} to`, dstAbs, e);
    }
}


/***/ })

};
