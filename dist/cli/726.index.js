export const id = 726;
export const ids = [726];
export const modules = {

/***/ 34726:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   asmClient: () => (/* binding */ asmClient),
/* harmony export */   credentialsFor: () => (/* binding */ credentialsFor),
/* harmony export */   faultOf: () => (/* binding */ faultOf),
/* harmony export */   readS3Object: () => (/* binding */ readS3Object),
/* harmony export */   ssmClient: () => (/* binding */ ssmClient)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(73024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(53711);
/* harmony import */ var _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(12994);
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(34736);
/* harmony import */ var _aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(29719);
/* harmony import */ var _cloud_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(16765);
/**
 * AWS through the AWS SDK for JavaScript v3: Parameter Store, Secrets Manager and S3 reads, with the
 * SDK's standard credential chain (environment, profiles and SSO, web identity, container and
 * instance roles), then the roles a store or backend asks to assume. Loaded by `node-cloud.ts`
 * only when a run reads from AWS (a dynamic import: the bundle keeps it in its own chunk).
 * Retries are the SDK's standard policy (3 attempts with backoff).
 */






// The SDK warns on every Node below 22 at its first call; the action runs on Node 24 and the CLI
// supports Node 20, where the warning would only be noise in the user's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const SSM_BATCH = 10;
const ASM_BATCH = 20;
const SESSION_NAME = 'atmos-action';
/** Codes that mean "it is not there" rather than "the call failed". */
const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'ParameterNotFound', 'ResourceNotFoundException']);
function faultOf(e) {
    const err = e;
    if (e instanceof _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2)
        return e.fault;
    // Network failures come as a plain Error with a Node code (ECONNREFUSED, ENOTFOUND), sometimes on the cause.
    const networkCode = err?.code ?? err?.cause?.code;
    const message = (err?.message ?? String(e)).split('\n')[0];
    // A wrapped socket error keeps its code only in the text ("connect ECONNREFUSED 127.0.0.1:9").
    const code = err?.Code ?? (err?.name && err.name !== 'Error' ? err.name : undefined) ?? networkCode ?? /\b(E[A-Z]{4,})\b/.exec(message)?.[1] ?? 'Error';
    return { code, message, notFound: NOT_FOUND.has(code) };
}
/** A web identity token: from a file, as given, or from GitHub Actions' OIDC endpoint. */
async function webIdentityToken(t) {
    if ('file' in t)
        return (await node_fs__WEBPACK_IMPORTED_MODULE_0___default().promises.readFile(t.file, 'utf8')).trim();
    if ('value' in t)
        return t.value;
    const url = process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const bearer = process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !bearer) {
        throw new _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2({
            code: 'NoGitHubOidc',
            message: "ACTIONS_ID_TOKEN_REQUEST_URL / ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set: give the job the 'id-token: write' permission",
            notFound: false,
        });
    }
    const u = new URL(url);
    // As Atmos: the token is sent to https endpoints only (loopback excepted, for a local emulator).
    if (u.protocol !== 'https:' && !['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) {
        throw new _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2({ code: 'InsecureOidcUrl', message: `ACTIONS_ID_TOKEN_REQUEST_URL must use https, got ${u.protocol}`, notFound: false });
    }
    u.searchParams.set('audience', t.githubAudience);
    const res = await fetch(u, { headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } });
    if (!res.ok)
        throw new _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2({ code: `HTTP${res.status}`, message: 'the GitHub OIDC token request failed', notFound: false });
    const body = (await res.json());
    if (typeof body.value !== 'string')
        throw new _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2({ code: 'BadOidcResponse', message: 'the GitHub OIDC response has no token', notFound: false });
    return body.value;
}
/** The credentials of one access: the base (static keys, a profile, or the default chain), then each role in turn. */
function credentialsFor(a) {
    const sts = { region: a.region, ...(a.stsEndpoint ? { endpoint: a.stsEndpoint } : {}) };
    let provider;
    if (a.staticKeys) {
        const keys = { ...a.staticKeys };
        provider = () => Promise.resolve(keys);
    }
    else if (a.profile || a.sharedCredentialsFiles?.length || a.sharedConfigFiles?.length) {
        provider = (0,_aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_2__/* .fromIni */ .nJ)({ profile: a.profile, filepath: a.sharedCredentialsFiles?.[0], configFilepath: a.sharedConfigFiles?.[0], clientConfig: sts });
    }
    for (const [i, role] of (a.roles ?? []).entries()) {
        if (role.kind === 'web-identity') {
            if (i !== 0)
                throw new _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2({ code: 'InvalidRoleChain', message: 'a web identity role can only start a chain', notFound: false });
            const token = role.token;
            provider = async () => (0,_aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_2__/* .fromWebToken */ .G7)({
                roleArn: role.roleArn,
                roleSessionName: role.sessionName ?? SESSION_NAME,
                webIdentityToken: await webIdentityToken(token),
                clientConfig: sts,
            })();
            continue;
        }
        provider = (0,_aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_2__/* .fromTemporaryCredentials */ .ss)({
            masterCredentials: provider ?? (0,_aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_2__/* .fromNodeProviderChain */ .br)({ clientConfig: sts }),
            params: {
                RoleArn: role.roleArn,
                RoleSessionName: role.sessionName ?? SESSION_NAME,
                ...(role.externalId ? { ExternalId: role.externalId } : {}),
                ...(role.durationSeconds ? { DurationSeconds: role.durationSeconds } : {}),
            },
            clientConfig: sts,
        });
    }
    return provider ?? (0,_aws_sdk_credential_providers__WEBPACK_IMPORTED_MODULE_2__/* .fromNodeProviderChain */ .br)({ clientConfig: sts });
}
function clientConfig(a) {
    return { region: a.region, credentials: credentialsFor(a), ...(a.endpoint ? { endpoint: a.endpoint } : {}) };
}
/** Parameter Store: GetParameters, 10 names a call, decrypted (SecureString). */
function ssmClient(a) {
    const client = new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__/* .SSMClient */ .jBj(clientConfig(a));
    return {
        async read(names) {
            const results = new Map();
            let calls = 0;
            await (0,_cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .forEachLimit */ .Gm)((0,_cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .slices */ .wc)(names, SSM_BATCH), _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .READ_CONCURRENCY */ .HJ, async (batch) => {
                calls++;
                try {
                    const out = await client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_3__/* .GetParametersCommand */ .AFe({ Names: batch, WithDecryption: true }));
                    for (const p of out.Parameters ?? [])
                        if (p.Name !== undefined && p.Value !== undefined)
                            results.set(p.Name, { value: p.Value });
                    for (const n of batch) {
                        if (!results.has(n))
                            results.set(n, { fault: { code: 'ParameterNotFound', message: `parameter ${n} not found`, notFound: true } });
                    }
                }
                catch (e) {
                    const fault = faultOf(e);
                    for (const n of batch)
                        results.set(n, { fault });
                }
            });
            return { results, calls };
        },
    };
}
/**
 * Secrets Manager: BatchGetSecretValue, 20 ids a call. A role allowed GetSecretValue but not the
 * batch call (a common policy) gets one GetSecretValue per id instead.
 */
function asmClient(a) {
    const client = new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .SecretsManagerClient */ ._H(clientConfig(a));
    let batchDenied = false;
    const one = async (id) => {
        try {
            const out = await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .GetSecretValueCommand */ .d2({ SecretId: id }));
            if (out.SecretString === undefined)
                return { fault: { code: 'EmptySecretString', message: `secret ${id} has no string value`, notFound: false } };
            return { value: out.SecretString };
        }
        catch (e) {
            return { fault: faultOf(e) };
        }
    };
    return {
        async read(ids) {
            const results = new Map();
            let calls = 0;
            await (0,_cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .forEachLimit */ .Gm)((0,_cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .slices */ .wc)(ids, ASM_BATCH), _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .READ_CONCURRENCY */ .HJ, async (batch) => {
                if (!batchDenied) {
                    calls++;
                    try {
                        const out = await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_4__/* .BatchGetSecretValueCommand */ .Nr({ SecretIdList: batch }));
                        for (const v of out.SecretValues ?? []) {
                            const id = batch.find((x) => x === v.Name || x === v.ARN);
                            if (id === undefined)
                                continue;
                            results.set(id, v.SecretString !== undefined
                                ? { value: v.SecretString }
                                : { fault: { code: 'EmptySecretString', message: `secret ${id} has no string value`, notFound: false } });
                        }
                        for (const err of out.Errors ?? []) {
                            if (err.SecretId === undefined)
                                continue;
                            const code = err.ErrorCode ?? 'Error';
                            results.set(err.SecretId, { fault: { code, message: err.Message ?? code, notFound: NOT_FOUND.has(code) } });
                        }
                        for (const id of batch)
                            if (!results.has(id))
                                results.set(id, { fault: { code: 'ResourceNotFoundException', message: `secret ${id} not found`, notFound: true } });
                        return;
                    }
                    catch (e) {
                        const fault = faultOf(e);
                        if (fault.code !== 'AccessDeniedException' && fault.code !== 'AccessDenied') {
                            for (const id of batch)
                                results.set(id, { fault });
                            return;
                        }
                        batchDenied = true;
                    }
                }
                for (const id of batch) {
                    calls++;
                    results.set(id, await one(id));
                }
            });
            return { results, calls };
        },
    };
}
/** One S3 object's text, or null when the key does not exist. */
async function readS3Object(a, bucket, key, pathStyle) {
    const client = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_5__/* .S3Client */ .YxF({ ...clientConfig(a), forcePathStyle: pathStyle });
    try {
        const out = await client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_5__/* .GetObjectCommand */ .jLs({ Bucket: bucket, Key: key }));
        return (await out.Body?.transformToString('utf8')) ?? '';
    }
    catch (e) {
        const fault = faultOf(e);
        if (fault.code === 'NoSuchKey' || fault.code === 'NotFound')
            return null;
        throw new _cloud_js__WEBPACK_IMPORTED_MODULE_1__/* .CloudError */ .K2(fault);
    }
    finally {
        client.destroy();
    }
}


/***/ })

};
