#!/usr/bin/env node
// Bundles the `clover` CLI (cli/main.ts with the lib/, lambda/ modules and the
// packages it uses: commander, yaml) into dist/cli/main.js with esbuild, so the
// packed tarball runs with no dependency installed. Packages that only some
// commands need stay external, as optional peer dependencies (OPTIONAL_PACKAGES);
// so does @cloud-copilot/iam-simulate (AGPL), which must never be bundled.
// cli/clover.js runs the bundle while it is newer than every source it was built
// from. `--package` (npm pack's prepack) also builds the library and the rule
// API for rules of your own (scripts/build-lib.js).
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const outfile = path.join(root, 'dist', 'cli', 'main.js');

/** Installed only for the commands that need them (docs/audit.md, "Install"). */
const OPTIONAL_PACKAGES = [
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'cdk-nag',
  'constructs',
  '@cdklabs/cdk-validator-cfnguard',
  '@aws-sdk/*',
  '@aws-lambda-powertools/*',
  '@cloud-copilot/iam-simulate',
  // Compile rule modules written in TypeScript, when the rule's project has one of them.
  'esbuild',
  'ts-node',
];

const COMMON = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: OPTIONAL_PACKAGES,
  // Smaller to parse at start-up; names kept for readable errors, and a source map beside it.
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  logLevel: 'warning',
};

/** The packages the bundle includes, whose licenses ask that their notice travel with every copy. */
const BUNDLED_PACKAGES = ['commander', 'yaml'];

function licenseFooter() {
  const texts = BUNDLED_PACKAGES.map((name) => {
    const text = fs
      .readFileSync(path.join(root, 'node_modules', name, 'LICENSE'), 'utf8')
      .replace(/\*\//g, '* /');
    return `${name}:\n${text.trim()}`;
  });
  return `/*! Bundled packages and their licenses:\n\n${texts.join('\n\n')}\n*/`;
}

function build() {
  const result = esbuild.buildSync({
    ...COMMON,
    entryPoints: [path.join(root, 'cli', 'main.ts')],
    outfile,
    metafile: true,
    footer: { js: licenseFooter() },
  });
  const bundled = Object.keys(result.metafile.inputs)
    .map((input) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
    .filter(Boolean);
  const unlisted = [...new Set(bundled)].filter((name) => !BUNDLED_PACKAGES.includes(name));
  if (unlisted.length)
    throw new Error(
      `the CLI bundle now includes ${unlisted.join(', ')}: add its license to BUNDLED_PACKAGES (and NOTICE), or keep it external`,
    );
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  fs.writeFileSync(path.join(path.dirname(outfile), 'inputs.json'), JSON.stringify(inputs));
  return inputs.length;
}

module.exports = { build, outfile, OPTIONAL_PACKAGES };

if (require.main === module) {
  const count = build();
  process.stderr.write(`built ${path.relative(process.cwd(), outfile)} from ${count} sources\n`);
  if (process.argv.includes('--package')) {
    require('./build-lib').buildLibrary();
    process.stderr.write('built dist/lib, dist/lambda and dist/vendor (the library and the rule API)\n');
  }
}
