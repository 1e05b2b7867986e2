export const id = 54;
export const ids = [54];
export const modules = {

/***/ 41054:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   listWorkdirs: () => (/* binding */ listWorkdirs),
/* harmony export */   showWorkdir: () => (/* binding */ showWorkdir)
/* harmony export */ });
/* harmony import */ var _workdir_list_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(94074);
/** `workdir list` and `workdir show`: what is on disk, read without taking locks. */

/** Every workdir under the base path (needs atmos.yaml only, not the stacks). */
function listWorkdirs(project) {
    return (0,_workdir_list_js__WEBPACK_IMPORTED_MODULE_0__/* .listWorkdirs */ .Y9)(project.config.basePath);
}
/** One instance's workdir (`info` null when it has not been provisioned), with the instance's canonical names. */
function showWorkdir(project, settings) {
    const i = project.stacks.instance(settings.component, settings.stack);
    return { stack: i.stack, component: i.component, info: (0,_workdir_list_js__WEBPACK_IMPORTED_MODULE_0__/* .showWorkdir */ .Ko)(project.config.basePath, i.stack, i.component) };
}


/***/ })

};
