import { encryptionInventory, encryptionProblem, StoreEncryption } from '../../../lib/audit/encryption';
import type { TemplateIndex } from '../../../lib/audit/template';

/** One row of the encryption inventory: a data store (or a part of one) and the key that encrypts it. */
export interface EncryptionRow {
  readonly stack: string;
  readonly resource: string;
  readonly type: string;
  /** The part this row describes (a volume, a replica), or null for the whole store. */
  readonly component: string | null;
  /** Region the data lives in. */
  readonly region: string | null;
  /** `customer-managed`, `aws-managed`, `aws-owned`, `sse-s3` or `none`. */
  readonly keyKind: string;
  /** The key: its logical ID, its ARN/alias as written, or how it is written when it cannot be followed. */
  readonly key: string | null;
  readonly keyRegion: string | null;
  /** Rotation on; null when unknown (a key outside the template). */
  readonly rotation: boolean | null;
  readonly multiRegion: boolean | null;
  /** What the template says, e.g. `SSEAlgorithm aws:kms with KMSMasterKeyID DataKey`. */
  readonly setting: string;
  /** Why the store falls short of Clover's standard, or null when it meets it. */
  readonly problem: string | null;
}

function keyOf(store: StoreEncryption): string | null {
  return store.keyRef ?? store.keyArn ?? store.unresolved ?? null;
}

/** The encryption inventory of one stack, from the shared analyser the CLV-ENC rules use. */
export function encryptionRows(index: TemplateIndex): EncryptionRow[] {
  return encryptionInventory(index).map((store) => ({
    stack: index.context.stackName,
    resource: store.logicalId,
    type: store.type,
    component: store.component ?? null,
    region: store.region ?? null,
    keyKind: store.keyKind,
    key: keyOf(store),
    keyRegion: store.keyRegion ?? null,
    rotation: store.rotation ?? null,
    multiRegion: store.multiRegion ?? null,
    setting: store.setting,
    problem: encryptionProblem(store, index) ?? null,
  }));
}
