import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AuditedStack } from './inputs';

/**
 * A temporary directory for the packs that read template files: JSON copies
 * of YAML templates (cfn-guard and the CloudFormation Validate plugin read
 * JSON), removed when the audit ends.
 */
export class Scratch {
  private directory?: string;
  private readonly copies = new Map<AuditedStack, string>();

  /** A directory of its own, created on first use. */
  public get root(): string {
    this.directory ??= fs.mkdtempSync(path.join(os.tmpdir(), 'clover-audit-'));
    return this.directory;
  }

  /** A JSON template file of the stack: the original when it is JSON, else a converted copy. */
  public jsonTemplate(stack: AuditedStack): string {
    if (stack.format === 'json') return stack.templateFile;
    let copy = this.copies.get(stack);
    if (!copy) {
      copy = path.join(
        this.root,
        `${this.copies.size}-${path.basename(stack.templateFile).replace(/\.[^.]+$/, '')}.json`,
      );
      fs.writeFileSync(copy, JSON.stringify(stack.template));
      this.copies.set(stack, copy);
    }
    return copy;
  }

  public dispose(): void {
    if (this.directory) fs.rmSync(this.directory, { recursive: true, force: true });
    this.directory = undefined;
  }
}
