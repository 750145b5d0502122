import { RegionInfo as CdkRegionInfo } from 'aws-cdk-lib/region-info';
import {
  allowedRegionCodes,
  allRegions,
  describeRegion,
  findRegion,
  isAllowedRegion,
  isEuropean,
  REGION_CODE_PATTERN,
} from '../../lib/config/regions';

describe('region catalogue', () => {
  test('knows every commercial region that aws-cdk-lib knows, and the sovereign cloud', () => {
    const cdkRegions = CdkRegionInfo.regions.filter((r) =>
      ['aws', 'aws-eusc', 'aws-cn', 'aws-us-gov'].includes(r.partition ?? ''),
    );
    const missing = cdkRegions.map((r) => r.name).filter((name) => !findRegion(name));
    expect(missing).toEqual([]);
  });

  test('agrees with aws-cdk-lib on every partition and DNS suffix', () => {
    for (const region of allRegions()) {
      const cdk = CdkRegionInfo.get(region.code);
      expect({ code: region.code, partition: region.partition, suffix: region.dnsSuffix }).toEqual({
        code: region.code,
        partition: cdk.partition,
        suffix: cdk.domainSuffix,
      });
    }
  });

  test('lists AZ names for every European region and the example regions', () => {
    for (const region of allRegions().filter(isEuropean)) {
      expect(region.azs?.length).toBeGreaterThanOrEqual(3);
      for (const az of region.azs ?? []) expect(az.startsWith(region.code)).toBe(true);
    }
    expect(findRegion('us-east-1')?.azs).toContain('us-east-1a');
  });

  test('puts the sovereign cloud in its own partition with the .eu suffix', () => {
    expect(findRegion('eusc-de-east-1')).toMatchObject({
      partition: 'aws-eusc',
      dnsSuffix: 'amazonaws.eu',
      jurisdiction: 'EU',
    });
  });

  test('maps the Hamar site to Stockholm and says AWS has no Norwegian region', () => {
    expect(findRegion('eu-north-1')?.note).toMatch(/no Norwegian region/);
  });

  test('allows EU and EEA by default and keeps CH and UK opt-in', () => {
    const defaults = allowedRegionCodes(['EU', 'EEA']);
    expect(defaults).toEqual(
      expect.arrayContaining(['eu-west-1', 'eu-north-1', 'eu-central-1', 'eusc-de-east-1']),
    );
    expect(defaults).not.toContain('eu-west-2');
    expect(defaults).not.toContain('eu-central-2');
    expect(isAllowedRegion('eu-central-2', ['EU', 'CH'])).toBe(true);
    expect(isAllowedRegion('us-east-1', ['EU', 'EEA', 'CH', 'UK'])).toBe(false);
  });

  test('describes regions for messages', () => {
    expect(describeRegion('us-east-1')).toBe('outside Europe (N. Virginia, US)');
    expect(describeRegion('eu-west-1')).toBe('EU (Dublin, IE)');
  });

  test('finds region codes in strings without matching longer codes', () => {
    const found = (text: string) => [...text.matchAll(REGION_CODE_PATTERN)].map((m) => m[1]);
    expect(found('arn:aws:s3:us-east-1:1:x and logs.ap-southeast-1.amazonaws.com, eu-west-1a')).toEqual([
      'us-east-1',
      'ap-southeast-1',
      'eu-west-1',
    ]);
    expect(found('us-east-10 xeu-west-1')).toEqual([]);
  });
});
