/** What the transforms share: names, the template shape they rewrite, and how they report. Pure. */

/** The transform that adds `Fn::ForEach`, `Fn::Length`, `Fn::ToJsonString` and `Fn::FindInMap` defaults. */
export const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
/** The AWS SAM transform. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** A template as parsed, before its transforms run: any JSON object. */
export type TemplateJson = Record<string, unknown>;

/** Where the stack deploys, as far as it is known when the template is expanded. */
export interface TransformContext {
  readonly region?: string;
  readonly account?: string;
}

/**
 * Part of a template the audit could not expand, so its resources are not
 * judged: an unknown transform or macro, a loop over values only known at
 * deploy time, a SAM type this build does not expand.
 */
export interface IncompleteNote {
  /** Logical ID (or section key) of what was left unexpanded; undefined for the whole template. */
  readonly resource?: string;
  /** The transform or macro responsible, when there is one. */
  readonly transform?: string;
  /** One sentence: what is not judged and why. */
  readonly reason: string;
}

/**
 * A template that uses a transform in a way CloudFormation would reject
 * (a malformed `Fn::ForEach`, a SAM property of the wrong shape). The message
 * names the place in the template (`Resources.Fn::ForEach::Buckets`) and the fix.
 */
export class TemplateTransformError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateTransformError';
  }
}
