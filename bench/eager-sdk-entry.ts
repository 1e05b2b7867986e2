/**
 * The CLI with every cloud SDK imported at start, for `npm run bench -- values` only: what `matrix`
 * would cost if the SDKs were in the entry bundle instead of chunks loaded on first use.
 */
import '../src/ports/node-aws.js';
import '../src/ports/node-azure.js';
import '../src/ports/node-gcp.js';
import '../src/ports/node-redis.js';
import '../src/cli/index.js';
