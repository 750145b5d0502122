#!/usr/bin/env node
// Bundles the `clover` CLI (cli/main.ts and the lib/, lambda/ modules it uses)
// into dist/cli/main.js with esbuild; packages stay external. cli/clover.js
// runs the bundle while it is newer than every source it was built from.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const outfile = path.join(root, 'dist', 'cli', 'main.js');

function build() {
  const result = esbuild.buildSync({
    entryPoints: [path.join(root, 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile,
    metafile: true,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  fs.writeFileSync(path.join(path.dirname(outfile), 'inputs.json'), JSON.stringify(inputs));
  return inputs.length;
}

module.exports = { build, outfile };

if (require.main === module) {
  const count = build();
  process.stdout.write(`built ${path.relative(process.cwd(), outfile)} from ${count} sources\n`);
}
