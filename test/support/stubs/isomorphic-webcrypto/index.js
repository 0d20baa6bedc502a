// Node's own WebCrypto, which is what isomorphic-webcrypto gives on Node.
module.exports = globalThis.crypto ?? require('node:crypto').webcrypto;
