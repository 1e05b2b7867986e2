export const id = 778;
export const ids = [778];
export const modules = {

/***/ 6778:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   apps: () => (/* binding */ apps),
/* harmony export */   "default": () => (__WEBPACK_DEFAULT_EXPORT__),
/* harmony export */   openApp: () => (/* binding */ openApp)
/* harmony export */ });
/**
 * atmos-action never opens a browser: Azure sign-in in a run is non-interactive (environment,
 * workload identity, managed identity, Azure CLI). This module replaces the `open` package
 * (package.json `overrides`), so the bundle holds no code that starts a browser.
 */
const refuse = () =>
  Promise.reject(
    new Error(
      'atmos-action does not open a browser: use a non-interactive Azure credential (environment, workload identity, managed identity or the Azure CLI)',
    ),
  );

const apps = {};
const openApp = refuse;
/* harmony default export */ const __WEBPACK_DEFAULT_EXPORT__ = (refuse);


/***/ })

};
