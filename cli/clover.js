#!/usr/bin/env node
// The `clover` command. It runs the esbuild bundle dist/cli/main.js
// (`npm run build:cli`; built before the tests and by `npm pack`) while the
// bundle is newer than every source it was built from; otherwise, in a
// checkout, it runs the TypeScript sources, compiled as they load
// (scripts/register-ts.js). Installed from the tarball, it runs the bundle.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli', 'main.js');

function bundleIsFresh() {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(path.join(path.dirname(bundle), 'inputs.json'), 'utf8'));
    return inputs.every((input) => {
      try {
        return fs.statSync(path.join(root, input)).mtimeMs <= built;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

// Installed from the tarball there are no sources: the bundle is all there is.
let entry = bundle;
if (fs.existsSync(path.join(__dirname, 'main.ts')) && !bundleIsFresh()) {
  require('../scripts/register-ts');
  entry = path.join(__dirname, 'main.ts');
}
require(entry)
  .run(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
