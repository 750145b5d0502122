// A jest transformer that compiles TypeScript with esbuild (already a
// devDependency for NodejsFunction bundling). Type checking is `tsc --noEmit`'s
// job in `npm test`; tsconfig.json has isolatedModules on, so every file
// compiles on its own. On a fresh clone (no jest cache) the whole suite ran in
// 72 s with it against 78 s with ts-jest (docs/BENCHMARKS.md).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const TSCONFIG = fs.readFileSync(path.join(__dirname, '..', 'tsconfig.json'), 'utf8');
const SELF = fs.readFileSync(__filename, 'utf8');

module.exports = {
  process(source, filename) {
    const result = esbuild.transformSync(source, {
      loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
      format: 'cjs',
      target: 'node20',
      platform: 'node',
      sourcemap: 'external',
      sourcefile: filename,
      tsconfigRaw: TSCONFIG,
      // import() becomes require(), as tsc emits it for module commonjs (jest's vm has no import()).
      supported: { 'dynamic-import': false },
    });
    return { code: result.code, map: result.map };
  },
  getCacheKey(source, filename) {
    return crypto
      .createHash('sha256')
      .update(esbuild.version)
      .update('\0')
      .update(SELF)
      .update('\0')
      .update(TSCONFIG)
      .update('\0')
      .update(filename)
      .update('\0')
      .update(source)
      .digest('hex');
  },
};
