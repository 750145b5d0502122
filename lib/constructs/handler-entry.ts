import * as fs from 'fs';
import * as path from 'path';

/**
 * A Lambda handler's entry for NodejsFunction: `<name>.ts` in a checkout, else the bundled `<name>.js`
 * beside it, as the installed package ships it (scripts/build-lib.js).
 */
export function handlerEntry(directory: string, name: string): string {
  const typescript = path.join(directory, `${name}.ts`);
  return fs.existsSync(typescript) ? typescript : path.join(directory, `${name}.js`);
}
