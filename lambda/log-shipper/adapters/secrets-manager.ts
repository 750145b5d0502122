import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretFetcher } from '../secrets';

/** Reads a secret's SecretString (the token or the HMAC key). */
export function secretsManagerFetcher(client: SecretsManagerClient): SecretFetcher {
  return async (secretId) => {
    const response = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (response.SecretString === undefined) {
      throw new Error(`secret ${secretId} has no SecretString; store the value as a string`);
    }
    return response.SecretString;
  };
}
