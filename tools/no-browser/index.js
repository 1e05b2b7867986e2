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

export const apps = {};
export const openApp = refuse;
export default refuse;
