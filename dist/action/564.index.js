export const id = 564;
export const ids = [564];
export const modules = {

/***/ 20564:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   redisClient: () => (/* binding */ redisClient)
/* harmony export */ });
/* harmony import */ var _redis_client__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(90488);
/* harmony import */ var _redis_client__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(_redis_client__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _cloud_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(16765);
/**
 * Redis through the `redis` client (`redis` stores): one MGET per batch of keys. The connection URL
 * is the store's `url` option, else `ATMOS_REDIS_URL`, as Atmos reads it. Loaded by `node-cloud.ts`
 * only when a run reads a redis store.
 */


const MGET_BATCH = 100;
function faultOf(e) {
    const err = e;
    return { code: err?.code ?? err?.name ?? 'Error', message: (err?.message ?? String(e)).split('\n')[0], notFound: false };
}
function redisClient(spec) {
    const url = spec.url || process.env.ATMOS_REDIS_URL;
    if (!url)
        throw new _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2({ code: 'NoRedisUrl', message: 'the store has no `url` option and ATMOS_REDIS_URL is not set', notFound: false });
    return {
        async read(keys) {
            const results = new Map();
            // One connection per read: a run reads its keys in one batch, and no socket is left holding the process open.
            const client = (0,_redis_client__WEBPACK_IMPORTED_MODULE_0__.createClient)({ url, socket: { reconnectStrategy: false, connectTimeout: 10_000 } });
            client.on('error', () => { });
            let calls = 0;
            try {
                await client.connect();
                for (const batch of (0,_cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .slices */ .wc)(keys, MGET_BATCH)) {
                    calls++;
                    const values = await client.mGet(batch);
                    batch.forEach((k, i) => {
                        const v = values[i];
                        results.set(k, v === null || v === undefined ? { fault: { code: 'redis.Nil', message: `key ${k} not found`, notFound: true } } : { value: String(v) });
                    });
                }
            }
            catch (e) {
                const fault = faultOf(e);
                for (const k of keys)
                    if (!results.has(k))
                        results.set(k, { fault });
            }
            finally {
                if (client.isOpen)
                    await client.quit().catch(() => { });
            }
            return { results, calls };
        },
    };
}


/***/ })

};
