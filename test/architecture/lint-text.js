// Lints planted sources with the project's own eslint.config.mjs, in a child
// process: ESLint loads its flat config with import(), which jest's VM refuses.
// Reads [{ filePath, code }] as JSON on stdin; writes each file's messages.
const { ESLint } = require('eslint');
const path = require('path');

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const root = path.join(__dirname, '..', '..');
  const eslint = new ESLint({ cwd: root });
  const results = [];
  for (const { filePath, code } of JSON.parse(input)) {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
    results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
