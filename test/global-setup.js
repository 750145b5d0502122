// Builds the CLI bundle once before the suite, so tests that run `clover` as a
// child process start it in ~0.1 s instead of compiling TypeScript each time.
module.exports = () => {
  require('../scripts/build-cli.js').build();
};
