import { needsExpansion } from '../../../lib/audit/transforms';

/** needsExpansion with the template's JSON text answers exactly as without it. */
describe('needsExpansion', () => {
  const cases: Array<[string, string]> = [
    ['plain', '{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}'],
    ['a loop', '{"Resources":{"Fn::ForEach::Q":["X",["a"],{"Q${X}":{"Type":"AWS::SQS::Queue"}}]}}'],
    ['Fn::Length', '{"Resources":{"Q":{"Type":"AWS::SQS::Queue","Properties":{"N":{"Fn::Length":[1]}}}}}'],
    ['a snippet macro', '{"Resources":{"Q":{"Type":"T","Properties":{"Fn::Transform":{"Name":"M"}}}}}'],
    [
      'a name written with \\u escapes',
      '{"Resources":{"Q":{"Type":"T","Properties":{"Fn::Le\\u006egth":[1]}}}}',
    ],
    [
      'a name in an escaped string',
      '{"Resources":{"Q":{"Type":"T","Properties":{"A":"x\\"Fn::ForEach::y"}}}}',
    ],
    ['a declared transform', '{"Transform":"AWS::Serverless-2016-10-31","Resources":{}}'],
    ['a name only in a dropped duplicate key', '{"Resources":{"Fn::Length":1},"Resources":{}}'],
  ];
  test.each(cases)('%s', (_name, text) => {
    const template = JSON.parse(text) as Record<string, unknown>;
    const formatted = JSON.stringify(template, null, 1);
    // The answer from the object alone is the reference; the raw and reformatted text must agree with it.
    const expected = needsExpansion(template);
    expect(needsExpansion(template, text)).toBe(expected);
    expect(needsExpansion(template, formatted)).toBe(expected);
  });
});
