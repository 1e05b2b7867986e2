export const id = 8;
export const ids = [8];
export const modules = {

/***/ 66008:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   keyVaultClient: () => (/* binding */ keyVaultClient),
/* harmony export */   readAzureBlob: () => (/* binding */ readAzureBlob)
/* harmony export */ });
/* harmony import */ var _azure_identity__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(23952);
/* harmony import */ var _azure_keyvault_secrets__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(66030);
/* harmony import */ var _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(20921);
/* harmony import */ var _cloud_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(16765);
/**
 * Azure through its client libraries: Blob Storage (the azurerm backend's state) and Key Vault
 * (`azure/keyvault` stores). Credentials: the backend's `access_key` or `sas_token`, otherwise
 * DefaultAzureCredential (environment, workload identity for GitHub OIDC, managed identity, Azure
 * CLI). Loaded by `node-cloud.ts` only when a run reads from Azure. No emulator exercises this
 * module in the test suite (see the README's compatibility section).
 */




function faultOf(e) {
    const err = e;
    const code = err?.code ?? (err?.statusCode ? `HTTP${err.statusCode}` : 'Error');
    return {
        code,
        message: (err?.message ?? String(e)).split('\n')[0],
        notFound: err?.statusCode === 404 || code === 'BlobNotFound' || code === 'SecretNotFound',
    };
}
async function readAzureBlob(req) {
    let url = req.endpoint ?? `https://${req.account}.${req.blobSuffix}`;
    if (req.sasToken)
        url += `${url.includes('?') ? '&' : '?'}${req.sasToken.replace(/^\?/, '')}`;
    const credential = req.accessKey
        ? new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .StorageSharedKeyCredential */ .Z3(req.account, req.accessKey)
        : req.sasToken
            ? new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .AnonymousCredential */ .tv()
            : new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .DefaultAzureCredential */ .gv();
    const service = new _azure_storage_blob__WEBPACK_IMPORTED_MODULE_2__/* .BlobServiceClient */ .wS(url, credential);
    try {
        const buf = await service.getContainerClient(req.container).getBlobClient(req.blob).downloadToBuffer();
        return buf.toString('utf8');
    }
    catch (e) {
        const fault = faultOf(e);
        if (fault.notFound && fault.code !== 'ContainerNotFound')
            return null;
        throw new _cloud_js__WEBPACK_IMPORTED_MODULE_3__/* .CloudError */ .K2(fault);
    }
}
/** Key Vault: one GetSecret per name; the API has no batch read. */
function keyVaultClient(spec) {
    const client = new _azure_keyvault_secrets__WEBPACK_IMPORTED_MODULE_1__/* .SecretClient */ ._V(spec.vaultUrl, new _azure_identity__WEBPACK_IMPORTED_MODULE_0__/* .DefaultAzureCredential */ .gv());
    return {
        async read(names) {
            const results = new Map();
            await (0,_cloud_js__WEBPACK_IMPORTED_MODULE_3__/* .forEachLimit */ .Gm)(names, _cloud_js__WEBPACK_IMPORTED_MODULE_3__/* .READ_CONCURRENCY */ .HJ, async (name) => {
                try {
                    const s = await client.getSecret(name);
                    results.set(name, { value: s.value ?? '' });
                }
                catch (e) {
                    results.set(name, { fault: faultOf(e) });
                }
            });
            return { results, calls: names.length };
        },
    };
}


/***/ })

};
