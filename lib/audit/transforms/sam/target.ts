import type { SamResource } from './model';
import type { RoleBuilder } from './policies';

/** The function (or its alias) events call. */
export interface FunctionTarget {
  readonly from: SamResource;
  /** ARN to invoke: `GetAtt F.Arn`, or `Ref` of the alias. */
  readonly arn: unknown;
  /** What permissions and mappings name: `Ref F`, or `Ref` of the alias. */
  readonly name: unknown;
  /** The generated execution role; undefined when the template gives its own Role. */
  readonly role?: RoleBuilder;
}
