// Compiles one TypeScript file to CommonJS for Node 20 with esbuild: types are
// stripped, not checked (`npm test` type-checks with tsc). tsconfig.json has
// isolatedModules on, so every file compiles on its own. Used by
// scripts/register-ts.js (Node's require) and test/esbuild-transform.js (jest).
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const TSCONFIG = fs.readFileSync(path.join(__dirname, '..', 'tsconfig.json'), 'utf8');

/** @param {'inline' | 'external'} sourcemap */
function compile(source, filename, sourcemap) {
  return esbuild.transformSync(source, {
    loader: filename.endsWith('.tsx') ? 'tsx' : 'ts',
    format: 'cjs',
    target: 'node20',
    platform: 'node',
    sourcemap,
    sourcefile: filename,
    tsconfigRaw: TSCONFIG,
    // import() becomes require(), as tsc emits it for module commonjs (jest's vm has no import()).
    supported: { 'dynamic-import': false },
  });
}

module.exports = { compile, TSCONFIG, ESBUILD_VERSION: esbuild.version };
