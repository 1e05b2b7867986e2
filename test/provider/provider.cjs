'use strict';
/**
 * testprov: a tiny Terraform provider (plugin protocol 6) for offline tests. One managed resource,
 * `testprov_thing`, with a required `value` and two computed attributes: `id` (random, fixed at
 * create) and `result` = "<provider version>:<value>", so a test can tell which version ran.
 *
 * Started by terraform through the native launcher in the same package directory, which passes
 * the launcher's own path as argv[2]; the version is read from its name
 * (terraform-provider-testprov_v1.2.3). Module resolution goes through NODE_PATH, set by the launcher.
 *
 * Set TESTPROV_LOG=<file> to have each process append "<pid> <version> <rpc>" lines (terraform
 * passes its environment through to providers), e.g. to count provider starts, and
 * TESTPROV_PLAN_DELAY_MS to make plans slow.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const grpc = require('@grpc/grpc-js');
const { encode, decode, ExtData } = require('@msgpack/msgpack');
const { ControllerService, ProviderService, SEVERITY_ERROR } = require('./tfplugin6.cjs');

const MAGIC_COOKIE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const RESOURCE = 'testprov_thing';
const here = __dirname;
const launcher = process.argv[2] || '';
const versionMatch = /_v(\d+\.\d+\.\d+)$/.exec(path.basename(launcher));
const VERSION = versionMatch ? versionMatch[1] : '0.0.0';

function log(what) {
  if (process.env.TESTPROV_LOG) fs.appendFileSync(process.env.TESTPROV_LOG, `${process.pid} ${VERSION} ${what}\n`);
}

// go-plugin refuses to run a plugin by hand; say so the way Go plugins do.
if (process.env.TF_PLUGIN_MAGIC_COOKIE !== MAGIC_COOKIE) {
  process.stderr.write('This binary is a plugin. These are not meant to be executed directly.\n');
  process.exit(1);
}
const offered = (process.env.PLUGIN_PROTOCOL_VERSIONS || '').split(',').map((s) => s.trim());
if (!offered.includes('6')) {
  // The first stdout line doubles as an error channel: terraform prints it verbatim.
  process.stdout.write(`testprov only speaks plugin protocol 6; offered: ${offered.join(',')}\n`);
  process.exit(1);
}

// ─── values ─────────────────────────────────────────────────────────────────────────────────
// Terraform's wire format for unknown values is a msgpack extension (type 0; 12 when refined).
const UNKNOWN = new ExtData(0, new Uint8Array(0));
const isUnknown = (v) => v instanceof ExtData;

function fromDynamic(dv) {
  if (!dv) return null;
  if (dv.msgpack && dv.msgpack.length > 0) return decode(dv.msgpack);
  if (dv.json && dv.json.length > 0) return JSON.parse(Buffer.from(dv.json).toString('utf8'));
  return null;
}
const toDynamic = (value) => ({ msgpack: Buffer.from(encode(value)) });

const thing = (id, value, result) => ({ id, result, value });
const resultFor = (value) => `${VERSION}:${value}`;
const error = (summary, detail = '') => ({ severity: SEVERITY_ERROR, summary, detail });
const checkType = (name) => (name === RESOURCE ? [] : [error(`testprov has no resource type ${JSON.stringify(name)}`)]);

// ─── RPCs ───────────────────────────────────────────────────────────────────────────────────
const stringAttr = (name, flags, description) => ({ name, type: Buffer.from('"string"'), description, ...flags });
const schemas = {
  provider: { version: 0, block: { version: 0, attributes: [], description: 'testprov takes no configuration' } },
  resource_schemas: {
    [RESOURCE]: {
      version: 0,
      block: {
        version: 0,
        attributes: [
          stringAttr('value', { required: true }, 'any string'),
          stringAttr('id', { computed: true }, 'random, fixed at create'),
          stringAttr('result', { computed: true }, '"<provider version>:<value>"'),
        ],
      },
    },
  },
  data_source_schemas: {},
  diagnostics: [],
};

const provider = {
  GetProviderSchema(_req) {
    return schemas;
  },
  ValidateProviderConfig(_req) {
    return { diagnostics: [] };
  },
  ValidateResourceConfig(req) {
    return { diagnostics: checkType(req.type_name) };
  },
  ConfigureProvider(_req) {
    return { diagnostics: [] };
  },
  UpgradeResourceState(req) {
    // Only schema version 0 exists: the stored JSON already has the right shape.
    const raw = JSON.parse(Buffer.from(req.raw_state?.json ?? '{}').toString('utf8'));
    return { upgraded_state: toDynamic(thing(raw.id ?? null, raw.value ?? null, raw.result ?? null)), diagnostics: checkType(req.type_name) };
  },
  ReadResource(req) {
    // Nothing exists outside terraform's state, so what terraform remembers is the truth.
    return { new_state: req.current_state, diagnostics: checkType(req.type_name), private: req.private };
  },
  PlanResourceChange(req) {
    const prior = fromDynamic(req.prior_state);
    const proposed = fromDynamic(req.proposed_new_state);
    if (proposed === null) return { planned_state: req.proposed_new_state, diagnostics: [] }; // destroy
    const value = proposed.value;
    let planned;
    if (prior === null)
      planned = thing(UNKNOWN, value, UNKNOWN); // create
    else if (!isUnknown(value) && prior.value === value && prior.result === resultFor(value))
      planned = prior; // no change
    else planned = thing(prior.id, value, UNKNOWN); // update in place
    return { planned_state: toDynamic(planned), diagnostics: checkType(req.type_name), planned_private: req.prior_private };
  },
  ApplyResourceChange(req) {
    const prior = fromDynamic(req.prior_state);
    const planned = fromDynamic(req.planned_state);
    if (planned === null) return { new_state: req.planned_state, diagnostics: [] }; // destroyed
    const id = prior && typeof prior.id === 'string' ? prior.id : crypto.randomBytes(8).toString('hex');
    return { new_state: toDynamic(thing(id, planned.value, resultFor(planned.value))), diagnostics: checkType(req.type_name) };
  },
  StopProvider(_req) {
    return { Error: '' };
  },
};

// ─── server ─────────────────────────────────────────────────────────────────────────────────
const server = new grpc.Server();
// TESTPROV_PLAN_DELAY_MS keeps the process busy in PlanResourceChange, for tests that need a
// provider running while something else happens (e.g. an init rewriting its executable).
const planDelayMs = Number(process.env.TESTPROV_PLAN_DELAY_MS || 0);
const unary = (name, fn) => (call, callback) => {
  log(name);
  const answer = () => {
    try {
      callback(null, fn(call.request));
    } catch (e) {
      callback(null, { diagnostics: [error(`testprov ${name} failed`, String((e && e.stack) || e))] });
    }
  };
  if (name === 'PlanResourceChange' && planDelayMs > 0) setTimeout(answer, planDelayMs);
  else answer();
};
server.addService(ProviderService, Object.fromEntries(Object.entries(provider).map(([name, fn]) => [name, unary(name, fn)])));
server.addService(ControllerService, {
  Shutdown(_call, callback) {
    log('Shutdown');
    callback(null, {});
    // Let the answer leave before exiting; terraform kills a provider that lingers.
    setTimeout(() => process.exit(0), 10).unref();
    server.tryShutdown(() => process.exit(0));
  },
});

// AutoMTLS: terraform hands us its client certificate and dials with TLS, trusting exactly the
// server certificate we announce on the handshake line. We do not check the client's certificate.
let credentials = grpc.ServerCredentials.createInsecure();
let certField = '';
if (process.env.PLUGIN_CLIENT_CERT) {
  const certPem = fs.readFileSync(path.join(here, 'cert.pem'));
  const keyPem = fs.readFileSync(path.join(here, 'key.pem'));
  credentials = grpc.ServerCredentials.createSsl(null, [{ private_key: keyPem, cert_chain: certPem }], false);
  // go-plugin wants the DER certificate in unpadded standard base64.
  certField = new crypto.X509Certificate(certPem).raw.toString('base64').replace(/=+$/, '');
}

server.bindAsync('127.0.0.1:0', credentials, (err, port) => {
  if (err) {
    process.stdout.write(`testprov could not listen: ${err.message}\n`);
    process.exit(1);
  }
  log(`start ${certField ? 'tls' : 'plaintext'}`);
  process.stdout.write(`1|6|tcp|127.0.0.1:${port}|grpc|${certField}\n`);
});
