// The data vault's physical names live with the others in lib/config/naming.ts
// (config validation checks them); re-exported here for the construct's users.
export {
  MAX_BUCKET_NAME_LENGTH,
  MAX_ROLE_NAME_LENGTH,
  DATA_CLASS_PATTERN,
  dataKeyAliasName,
  dataBucketName,
  replicationRoleName,
  dataBucketNameProblem,
  dataTableName,
} from '../../config/naming';
