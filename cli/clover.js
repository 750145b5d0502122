#!/usr/bin/env node
// The `clover` command. In a checkout it runs the TypeScript sources through
// ts-node (transpile only); an installed package runs the prebuilt dist/.
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, 'main.ts');
const built = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let entry = built;
if (fs.existsSync(source)) {
  try {
    require('ts-node').register({
      transpileOnly: true,
      project: path.join(__dirname, '..', 'tsconfig.json'),
    });
    entry = source;
  } catch {
    entry = built;
  }
}
require(entry)
  .run(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
