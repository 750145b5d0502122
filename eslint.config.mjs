import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

// The layers and the arrows between them (docs/architecture.md): a layer may
// import the layers its arrows reach, directly or through another layer.
const LAYERS = {
  bin: ['lib/app'],
  'lib/app': ['lib/stages', 'lib/nag'], // the app runs the synth gate: CloverChecks and the audit
  'lib/stages': ['lib/stacks'],
  'lib/stacks': ['lib/constructs'],
  'lib/constructs': ['lib/config'],
  'lib/config': [],
  'lib/rules-api.ts': ['lib/nag'], // the public API of user rules, beside the pack
  'lib/nag': ['lib/audit'],
  'lib/audit': ['lib/config'],
  cli: ['lib/audit', 'lib/nag', 'lambda'],
  lambda: ['lib/config'], // pure contracts and evidence formats; lib/config is CDK-free like lambda/
};

// Imports against the direction that stay, each with its reason.
const EXCEPTIONS = {
  // A construct records the acknowledgments of the resources it owns, as
  // cdk-nag's NagSuppressions are called by the constructs that need them.
  'lib/constructs -> lib/nag': ['./acknowledge.ts'],
  'lib/stacks -> lib/nag': ['./acknowledge.ts'],
  // Contracts that cross the process boundary: the construct writes what the
  // Lambda reads (STYLE.md 18). Pure modules, no SDK.
  'lib/constructs -> lambda': ['./log-shipper/requests.ts', './migration/contract.ts'],
};

/** Packages of CDK that the pure layers must not import. */
const CDK_PACKAGES = ['aws-cdk-lib', 'constructs', 'cdk-nag', '@aws-cdk', '@cdklabs'];
/** Code that imports nothing of CDK: the Lambda code, the config, the template analysis, and the custom-resource handlers inside constructs. */
const CDK_FREE = [
  'lambda/**',
  'lib/config/**',
  'lib/audit/**',
  'lib/constructs/**/handler.ts',
  'lib/constructs/custom-resources/**',
];

function reachable(layer, seen = new Set()) {
  for (const next of LAYERS[layer]) {
    if (!seen.has(next)) {
      seen.add(next);
      reachable(next, seen);
    }
  }
  return seen;
}

/** The public surface: it exports from every layer, and no layer imports it. */
const PUBLIC_SURFACE = 'lib/index.ts';

/** One zone for each layer and each layer it must not import, and one keeping each layer off the public surface. */
function boundaryZones() {
  const layers = Object.keys(LAYERS);
  return layers.flatMap((target) => {
    const allowed = reachable(target);
    return [
      ...layers
        .filter((from) => from !== target && !allowed.has(from))
        .map((from) => ({
          target,
          from,
          except: EXCEPTIONS[`${target} -> ${from}`] ?? [],
          message: `${target} must not import ${from}: imports run ${target} -> ${[...allowed].join(', ') || 'nothing of Clover'} (docs/architecture.md).`,
        })),
      {
        target,
        from: PUBLIC_SURFACE,
        message: `${target} must not import ${PUBLIC_SURFACE}, the public surface: import the module itself (docs/architecture.md).`,
      },
    ];
  });
}

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'cdk.out.*/', 'dist/', 'coverage/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // The layers' import directions (docs/architecture.md): each zone names a
  // layer and one layer it must not import; scripts/boundaries.mjs holds them.
  {
    files: ['bin/**/*.ts', 'lib/**/*.ts', 'lambda/**/*.ts', 'cli/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: boundaryZones() }],
    },
  },
  {
    files: CDK_FREE.map((glob) => (glob.endsWith('.ts') ? glob : `${glob}/*.ts`)),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: CDK_PACKAGES.map((name) => ({
            name,
            message: 'Lambda code, lib/config and lib/audit import nothing of CDK (docs/architecture.md).',
          })),
          patterns: [
            {
              group: CDK_PACKAGES.map((name) => `${name}/*`),
              message: 'Lambda code, lib/config and lib/audit import nothing of CDK (docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
);
