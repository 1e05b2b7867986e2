export const id = 388;
export const ids = [388];
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


/***/ })

};
