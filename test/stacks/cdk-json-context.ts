// cdk.json's context now lives in test/helpers/app.ts, which every app-level test uses.
export { CDK_JSON_CONTEXT } from '../helpers/app';
