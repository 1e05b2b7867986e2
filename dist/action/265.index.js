export const id = 265;
export const ids = [265];
export const modules = {

/***/ 35265:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   gsmClient: () => (/* binding */ gsmClient),
/* harmony export */   readGcsObject: () => (/* binding */ readGcsObject)
/* harmony export */ });
/* harmony import */ var _google_cloud_storage__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73665);
/* harmony import */ var _cloud_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(16765);
/**
 * Google Cloud through its Cloud Storage client: objects (the gcs backend's state), and Secret
 * Manager (`gcp/secretmanager` stores) over its REST API with the same client's authentication
 * (the gRPC client would add 5 MB to the bundle for one call). Credentials: the backend's or store's
 * `credentials` (a key file path or its JSON content), an access token, or Application Default
 * Credentials.
 * Loaded by `node-cloud.ts` only when a run reads from Google Cloud. No emulator exercises this
 * module in the test suite (see the README's compatibility section).
 */


/** A key file path, or the key's JSON content (as terraform's gcs backend accepts both). */
function credentialOptions(credentials) {
    if (!credentials)
        return {};
    const text = credentials.trim();
    return text.startsWith('{') ? { credentials: JSON.parse(text) } : { keyFilename: credentials };
}
function faultOf(e) {
    const err = e;
    // The HTTP status (404, 403) when the API answered, else the network code (ECONNREFUSED).
    const status = err?.response?.status ?? err?.status;
    const code = status !== undefined ? String(status) : err?.code !== undefined ? String(err.code) : 'Error';
    return { code, message: (err?.message ?? String(e)).split('\n')[0], notFound: code === '404' };
}
async function readGcsObject(req) {
    const storage = new _google_cloud_storage__WEBPACK_IMPORTED_MODULE_0__/* .Storage */ .wc({
        ...credentialOptions(req.credentials),
        ...(req.accessToken ? { token: req.accessToken } : {}),
        ...(req.endpoint ? { apiEndpoint: req.endpoint } : {}),
    });
    try {
        const [data] = await storage.bucket(req.bucket).file(req.object).download();
        return data.toString('utf8');
    }
    catch (e) {
        const fault = faultOf(e);
        if (fault.notFound)
            return null;
        throw new _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2(fault);
    }
}
/** Secret Manager: one `versions/latest:access` per secret; the API has no batch read. */
function gsmClient(spec) {
    const auth = new _google_cloud_storage__WEBPACK_IMPORTED_MODULE_0__/* .Storage */ .wc(credentialOptions(spec.credentials)).authClient;
    const base = (spec.endpoint ?? 'https://secretmanager.googleapis.com').replace(/\/+$/, '');
    return {
        async read(ids) {
            const results = new Map();
            await (0,_cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .forEachLimit */ .Gm)(ids, _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .READ_CONCURRENCY */ .HJ, async (id) => {
                try {
                    const url = `${base}/v1/projects/${encodeURIComponent(spec.projectId)}/secrets/${encodeURIComponent(id)}/versions/latest:access`;
                    const res = await auth.request({ url });
                    results.set(id, { value: Buffer.from(res.data.payload?.data ?? '', 'base64').toString('utf8') });
                }
                catch (e) {
                    results.set(id, { fault: faultOf(e) });
                }
            });
            return { results, calls: ids.length };
        },
    };
}


/***/ })

};
