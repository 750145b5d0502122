import { REGION_HINT, regionMentions, visitDataStrings } from '../../lib/audit/residency';
import { allRegions, REGION_CODE_PATTERN } from '../../lib/config/regions';

describe('regionMentions', () => {
  const properties = {
    Description: 'mirrors us-east-1', // descriptive: left out
    Arn: 'arn:aws:s3:us-east-1:111111111111:thing/eu-west-1 and us-east-1 again',
    Endpoint: { 'Fn::Sub': 'https://sqs.ap-south-1.amazonaws.com/${AWS::AccountId}' },
    Zones: ['eu-west-1a', 'no region here', 'eu-west-10'],
    Definition: JSON.stringify({
      Comment: 'about eu-north-1',
      States: { A: { Resource: 'arn:aws:lambda:me-south-1:1:function:f' } },
    }),
    Tags: [{ Key: 'home', Value: 'us-west-2' }],
  };

  test('lists every data string naming a region, as visitDataStrings and the region pattern find them', () => {
    const expected: Array<{ path: Array<string | number>; text: string; regions: string[] }> = [];
    visitDataStrings(properties, (text, path) => {
      const regions = [...new Set([...text.matchAll(REGION_CODE_PATTERN)].map((match) => match[1]))];
      if (regions.length) expected.push({ path: [...path], text, regions });
    });
    expect(regionMentions(properties)).toEqual(expected);
    expect(regionMentions(properties).map((mention) => mention.path.join('.'))).toEqual([
      'Arn',
      'Endpoint.Fn::Sub',
      'Zones.0',
      'Definition.States.A.Resource',
    ]);
    expect(regionMentions(properties)[0].regions).toEqual(['us-east-1', 'eu-west-1']);
  });

  test('is worked out once per value', () => {
    expect(regionMentions(properties)).toBe(regionMentions(properties));
  });

  test('every region code holds a hyphen before a digit, so strings without one are not scanned', () => {
    expect(allRegions().filter((region) => !REGION_HINT.test(region.code))).toEqual([]);
    expect(REGION_HINT.test('account 111111111111, port 443, eu-west')).toBe(false);
  });
});
