// Builds the library that `npm pack` ships (`clover-enclave` and
// `clover-enclave/rules`): lib/index.ts and lib/rules-api.ts compiled by tsc
// into dist/ (JavaScript and declarations, the source tree's layout, so that
// the constructs find their files by __dirname as in a checkout), plus what tsc
// does not write:
// - each Lambda handler bundled into the .js file its construct falls back to
//   when the .ts is absent, so a consumer's NodejsFunction (its esbuild)
//   bundles one file and needs none of the handlers' packages;
// - zod (the config schema's only package) bundled into dist/vendor/zod.js, so
//   the package depends on nothing;
// - the security gateway appliance's files, read at synth.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

/** Handler sources and the compiled entries their constructs fall back to (see `handlerEntry` and friends). */
const HANDLERS = [
  'lambda/log-shipper/index.ts',
  'lambda/migration/exporter.ts',
  'lambda/migration/verifier.ts',
  'lambda/migration/applier.ts',
  'lib/constructs/security-gateway/endpoint-acceptance/handler.ts',
  'lib/constructs/enclave-network/default-group-restriction/handler.ts',
];

/** Files the constructs read at synth, copied beside their compiled modules. */
const ASSETS = [
  'lib/constructs/security-gateway/appliance/geneve_passthrough.py',
  'lib/constructs/security-gateway/appliance/clover-gateway.service',
  'lib/constructs/security-gateway/appliance/user-data.sh',
];

/** Packages that are vendored into dist/vendor, by the name the compiled code requires. */
const VENDORED = ['zod'];

/** A comment with the license of each package a bundle includes, so their notices travel with it. */
function licenseFooter(metafile) {
  const names = new Set(
    Object.keys(metafile.inputs)
      .map((input) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1])
      .filter(Boolean),
  );
  const texts = [...names].sort().flatMap((name) => {
    const directory = path.join(root, 'node_modules', name);
    const file = fs.readdirSync(directory).find((entry) => /^licen[cs]e/i.test(entry));
    if (file)
      return [
        `${name}:\n${fs.readFileSync(path.join(directory, file), 'utf8').replace(/\*\//g, '* /').trim()}`,
      ];
    // MIT-0 (Powertools) asks for no notice, and its packages ship no LICENSE file: name the license.
    const { license } = JSON.parse(fs.readFileSync(path.join(directory, 'package.json'), 'utf8'));
    if (!license) throw new Error(`${name} is bundled but names no license: keep it external`);
    return [`${name}: ${license}`];
  });
  return texts.length ? `\n/*! Bundled packages and their licenses:\n\n${texts.join('\n\n')}\n*/\n` : '';
}

function bundle(options) {
  const result = esbuild.buildSync({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    metafile: true,
    logLevel: 'warning',
    ...options,
  });
  fs.appendFileSync(options.outfile, licenseFooter(result.metafile));
}

function compile() {
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', path.join(__dirname, 'tsconfig.lib.json')],
    { cwd: root, stdio: 'inherit' },
  );
}

/** Points the compiled modules' `require("zod")` at dist/vendor/zod.js. */
function vendor() {
  for (const name of VENDORED) {
    const outfile = path.join(dist, 'vendor', `${name}.js`);
    bundle({
      stdin: { contents: `module.exports = require('${name}');`, resolveDir: root },
      outfile,
      minify: true,
      keepNames: true,
    });
    const pattern = new RegExp(`require\\("${name}"\\)`, 'g');
    for (const file of jsFiles(path.join(dist, 'lib'))) {
      const text = fs.readFileSync(file, 'utf8');
      if (!pattern.test(text)) continue;
      const relative = path.relative(path.dirname(file), outfile).replace(/\\/g, '/').replace(/\.js$/, '');
      fs.writeFileSync(
        file,
        text.replace(pattern, `require("${relative.startsWith('.') ? relative : `./${relative}`}")`),
      );
    }
  }
}

function jsFiles(directory) {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return jsFiles(full);
    return entry.name.endsWith('.js') ? [full] : [];
  });
}

/** Builds dist/lib, dist/lambda and dist/vendor. */
function buildLibrary() {
  for (const directory of ['lib', 'lambda', 'vendor', 'types', 'rules'])
    fs.rmSync(path.join(dist, directory), { recursive: true, force: true });
  compile();
  for (const handler of HANDLERS)
    bundle({
      entryPoints: [path.join(root, handler)],
      outfile: path.join(dist, handler.replace(/\.ts$/, '.js')),
      // The Lambda runtime provides the AWS SDK v3; the constructs keep it external too.
      external: ['@aws-sdk/*'],
    });
  vendor();
  for (const asset of ASSETS) fs.copyFileSync(path.join(root, asset), path.join(dist, asset));
}

module.exports = { buildLibrary, HANDLERS };

if (require.main === module) {
  buildLibrary();
  process.stderr.write('built dist/lib, dist/lambda and dist/vendor (the library)\n');
}
