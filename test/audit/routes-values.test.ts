import {
  azOfValue,
  cidrCovers,
  cidrOfValue,
  cidrsOverlap,
  compareAz,
  describeValue,
} from '../../lib/audit/network-values';
import { indexOf } from '../helpers/nag';

const index = indexOf({
  Parameters: {
    AzA: { Type: 'AWS::EC2::AvailabilityZone::Name' },
    AzB: { Type: 'AWS::EC2::AvailabilityZone::Name' },
    AzDefaulted: { Type: 'AWS::EC2::AvailabilityZone::Name', Default: 'eu-west-1a' },
    Position: { Type: 'Number', Default: 2 },
  },
  Resources: {},
});
const az = (value: unknown) => azOfValue(index, value, () => undefined);

describe('availability-zone identity', () => {
  test('the same parameter is the same AZ; two parameters without defaults cannot be compared', () => {
    expect(compareAz(az({ Ref: 'AzA' }), az({ Ref: 'AzA' }))).toBe('same');
    expect(compareAz(az({ Ref: 'AzA' }), az({ Ref: 'AzB' }))).toBe('unknown');
  });

  test('a parameter with a default is compared by its default', () => {
    expect(compareAz(az({ Ref: 'AzDefaulted' }), az('eu-west-1a'))).toBe('same');
    expect(compareAz(az({ Ref: 'AzDefaulted' }), az('eu-west-1b'))).toBe('different');
  });

  test('Fn::Select over Fn::GetAZs is an identity by index, for "" and Ref AWS::Region alike', () => {
    const first = az({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
    expect(compareAz(first, az({ 'Fn::Select': ['0', { 'Fn::GetAZs': { Ref: 'AWS::Region' } }] }))).toBe(
      'same',
    );
    expect(compareAz(first, az({ 'Fn::Select': [1, { 'Fn::GetAZs': '' }] }))).toBe('different');
    expect(
      compareAz(
        az({ 'Fn::Select': [{ Ref: 'Position' }, { 'Fn::GetAZs': '' }] }),
        az({ 'Fn::Select': [2, { 'Fn::GetAZs': '' }] }),
      ),
    ).toBe('same');
  });

  test('an index cannot be compared with a name, and anything unreadable is unknown', () => {
    expect(compareAz(az({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }), az('eu-west-1a'))).toBe('unknown');
    const imported = az({ 'Fn::ImportValue': 'shared-az' });
    expect(imported.kind).toBe('unknown');
    expect(imported.label).toBe('AZ unknown (Fn::ImportValue(…) is not a literal)');
    expect(compareAz(imported, imported)).toBe('unknown');
  });
});

describe('CIDRs', () => {
  const cidr = (value: unknown) => cidrOfValue(index, value)!;

  test('literal IPv4 CIDRs overlap and nest by address range', () => {
    expect(cidrsOverlap(cidr('10.10.0.0/16'), cidr('10.10.1.0/24'))).toBe(true);
    expect(cidrsOverlap(cidr('10.10.0.0/24'), cidr('10.10.1.0/24'))).toBe(false);
    expect(cidrCovers(cidr('10.10.0.0/16'), cidr('10.10.1.0/24'))).toBe(true);
    expect(cidrCovers(cidr('10.10.1.0/24'), cidr('10.10.0.0/16'))).toBe(false);
  });

  test('computed CIDRs compare by their expression', () => {
    const computed = { 'Fn::Select': [1, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 4, 8] }] };
    expect(cidrsOverlap(cidr(computed), cidr(structuredClone(computed)))).toBe(true);
    expect(cidrsOverlap(cidr(computed), cidr('10.10.1.0/24'))).toBe(false);
    expect(describeValue(computed)).toBe('Fn::Select(1, Fn::Cidr(Vpc.CidrBlock, 4, 8))');
  });
});
