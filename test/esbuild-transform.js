// A jest transformer that compiles TypeScript with esbuild (scripts/ts-compile.js).
// On a fresh clone (no jest cache) the whole suite ran in 72 s with it against
// 78 s with ts-jest (docs/BENCHMARKS.md).
const crypto = require('crypto');
const fs = require('fs');
const { compile, TSCONFIG, ESBUILD_VERSION } = require('../scripts/ts-compile');

const COMPILER = [
  ESBUILD_VERSION,
  TSCONFIG,
  fs.readFileSync(require.resolve('../scripts/ts-compile'), 'utf8'),
];

module.exports = {
  process(source, filename) {
    const { code, map } = compile(source, filename, 'external');
    return { code, map };
  },
  getCacheKey(source, filename) {
    const hash = crypto.createHash('sha256');
    for (const part of [...COMPILER, filename, source]) hash.update(part).update('\0');
    return hash.digest('hex');
  },
};
