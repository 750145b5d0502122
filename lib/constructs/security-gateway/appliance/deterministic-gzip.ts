/**
 * A small gzip (RFC 1952) encoder around one dynamic-Huffman DEFLATE block (RFC 1951).
 *
 * Why not `zlib.gzipSync`: its bytes depend on the zlib build inside Node (they change between Node
 * versions and CPUs), and the compressed appliance program sits in the launch template's user data, so
 * a different byte on another machine would show up as a gateway change. This encoder is deterministic
 * by construction. Any gunzip decodes it; the tests check that against both Node's and the system's.
 */

const WINDOW_SIZE = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MAX_CHAIN = 256;
const HASH_SIZE = 1 << 15;
const END_OF_BLOCK = 256;

const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** A literal byte, or a back-reference of `length` bytes at `distance`. */
type Lz77Token = { literal: number } | { length: number; distance: number };

/** One Huffman symbol plus the extra bits that follow it. */
interface HuffmanSymbol {
  readonly code: number;
  readonly extraBits: number;
  readonly extraValue: number;
}

/** Compresses `input` to gzip bytes; the same input always gives the same output. */
export function deterministicGzip(input: Buffer): Buffer {
  const writer = new BitWriter();
  writeDynamicBlock(writer, findMatches(input));
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]); // no name, mtime 0, OS "unknown"
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(input), 0);
  trailer.writeUInt32LE(input.length >>> 0, 4);
  return Buffer.concat([header, writer.finish(), trailer]);
}

/** LZ77 with hash chains and one step of lazy matching (as zlib does at its higher levels). */
function findMatches(input: Buffer): Lz77Token[] {
  const head = new Int32Array(HASH_SIZE).fill(-1);
  const previous = new Int32Array(input.length);
  const hashAt = (position: number): number =>
    ((input[position] << 10) ^ (input[position + 1] << 5) ^ input[position + 2]) & (HASH_SIZE - 1);
  const insert = (position: number): void => {
    if (position + MIN_MATCH > input.length) return;
    const hash = hashAt(position);
    previous[position] = head[hash];
    head[hash] = position;
  };
  const longestMatch = (position: number): { length: number; distance: number } => {
    let best = { length: 0, distance: 0 };
    if (position + MIN_MATCH > input.length) return best;
    const limit = Math.min(MAX_MATCH, input.length - position);
    let candidate = head[hashAt(position)];
    for (let chain = MAX_CHAIN; candidate >= 0 && position - candidate <= WINDOW_SIZE && chain > 0; chain--) {
      let length = 0;
      while (length < limit && input[candidate + length] === input[position + length]) length++;
      if (length > best.length) best = { length, distance: position - candidate };
      if (length === limit) break;
      candidate = previous[candidate];
    }
    return best.length >= MIN_MATCH ? best : { length: 0, distance: 0 };
  };

  const tokens: Lz77Token[] = [];
  let position = 0;
  while (position < input.length) {
    const match = longestMatch(position);
    insert(position);
    if (match.length === 0 || longestMatch(position + 1).length > match.length) {
      tokens.push({ literal: input[position] });
      position++;
      continue;
    }
    tokens.push(match);
    for (let covered = 1; covered < match.length; covered++) insert(position + covered);
    position += match.length;
  }
  return tokens;
}

function toSymbols(tokens: Lz77Token[]): {
  literalLength: HuffmanSymbol[];
  distance: Array<HuffmanSymbol | undefined>;
} {
  const literalLength: HuffmanSymbol[] = [];
  const distance: Array<HuffmanSymbol | undefined> = [];
  for (const token of tokens) {
    if ('literal' in token) {
      literalLength.push({ code: token.literal, extraBits: 0, extraValue: 0 });
      distance.push(undefined);
      continue;
    }
    const lengthIndex = lastIndexAtMost(LENGTH_BASE, token.length);
    const distanceIndex = lastIndexAtMost(DISTANCE_BASE, token.distance);
    literalLength.push({
      code: 257 + lengthIndex,
      extraBits: LENGTH_EXTRA[lengthIndex],
      extraValue: token.length - LENGTH_BASE[lengthIndex],
    });
    distance.push({
      code: distanceIndex,
      extraBits: DISTANCE_EXTRA[distanceIndex],
      extraValue: token.distance - DISTANCE_BASE[distanceIndex],
    });
  }
  literalLength.push({ code: END_OF_BLOCK, extraBits: 0, extraValue: 0 });
  return { literalLength, distance };
}

function writeDynamicBlock(writer: BitWriter, tokens: Lz77Token[]): void {
  const symbols = toSymbols(tokens);
  const literalLengthLengths = codeLengths(frequencies(symbols.literalLength, 286), 15);
  const distanceLengths = codeLengths(frequencies(symbols.distance, 30), 15);
  const literalCount = Math.max(257, lastNonZero(literalLengthLengths) + 1);
  const distanceCount = Math.max(1, lastNonZero(distanceLengths) + 1);
  const lengthSymbols = runLengthEncode([
    ...literalLengthLengths.slice(0, literalCount),
    ...distanceLengths.slice(0, distanceCount),
  ]);
  const codeLengthLengths = codeLengths(frequencies(lengthSymbols, 19), 7);
  let codeLengthCount = CODE_LENGTH_ORDER.length;
  while (codeLengthCount > 4 && codeLengthLengths[CODE_LENGTH_ORDER[codeLengthCount - 1]] === 0)
    codeLengthCount--;

  writer.write(1, 1); // final block
  writer.write(2, 2); // dynamic Huffman codes
  writer.write(literalCount - 257, 5);
  writer.write(distanceCount - 1, 5);
  writer.write(codeLengthCount - 4, 4);
  for (let index = 0; index < codeLengthCount; index++)
    writer.write(codeLengthLengths[CODE_LENGTH_ORDER[index]], 3);
  const codeLengthCodes = canonicalCodes(codeLengthLengths);
  for (const symbol of lengthSymbols) writer.writeSymbol(symbol, codeLengthCodes, codeLengthLengths);

  const literalLengthCodes = canonicalCodes(literalLengthLengths);
  const distanceCodes = canonicalCodes(distanceLengths);
  symbols.literalLength.forEach((symbol, index) => {
    writer.writeSymbol(symbol, literalLengthCodes, literalLengthLengths);
    const distance = symbols.distance[index];
    if (distance) writer.writeSymbol(distance, distanceCodes, distanceLengths);
  });
}

function frequencies(symbols: Array<HuffmanSymbol | undefined>, alphabetSize: number): number[] {
  const counts = new Array<number>(alphabetSize).fill(0);
  for (const symbol of symbols) if (symbol) counts[symbol.code]++;
  return counts;
}

/** Huffman code lengths no longer than `limit`; halves the counts and retries when a code is too long. */
function codeLengths(counts: number[], limit: number): number[] {
  let weights = counts.slice();
  // A decoder needs at least two codes in every tree (zlib's rule), even when one symbol or none is used.
  for (let symbol = 0; weights.filter((weight) => weight > 0).length < 2; symbol++) {
    if (weights[symbol] === 0) weights[symbol] = 1;
  }
  for (;;) {
    const lengths = huffmanLengths(weights);
    if (Math.max(...lengths) <= limit) return lengths;
    weights = weights.map((weight) => (weight === 0 ? 0 : Math.max(1, weight >> 1)));
  }
}

/** Plain Huffman construction; ties go to the lower node index, so the result never varies. */
function huffmanLengths(weights: number[]): number[] {
  const nodeWeight = weights.slice();
  const parent = new Array<number>(weights.length).fill(-1);
  const open = weights.map((_, index) => index).filter((index) => weights[index] > 0);
  const takeLightest = (): number => {
    let best = 0;
    for (let index = 1; index < open.length; index++) {
      if (nodeWeight[open[index]] < nodeWeight[open[best]]) best = index;
    }
    return open.splice(best, 1)[0];
  };
  while (open.length > 1) {
    const first = takeLightest();
    const second = takeLightest();
    const merged = nodeWeight.length;
    nodeWeight.push(nodeWeight[first] + nodeWeight[second]);
    parent.push(-1);
    parent[first] = merged;
    parent[second] = merged;
    open.push(merged);
  }
  return weights.map((weight, symbol) => {
    if (weight === 0) return 0;
    let depth = 0;
    for (let node = symbol; parent[node] !== -1; node = parent[node]) depth++;
    return depth;
  });
}

/** Canonical codes (RFC 1951 §3.2.2), bit-reversed because DEFLATE writes Huffman codes MSB first. */
function canonicalCodes(lengths: number[]): number[] {
  const maxLength = Math.max(...lengths);
  const lengthCount = new Array<number>(maxLength + 1).fill(0);
  for (const length of lengths) if (length > 0) lengthCount[length]++;
  const nextCode = new Array<number>(maxLength + 2).fill(0);
  for (let length = 1, code = 0; length <= maxLength; length++) {
    code = (code + lengthCount[length - 1]) << 1;
    nextCode[length] = code;
  }
  return lengths.map((length) => (length === 0 ? 0 : reverseBits(nextCode[length]++, length)));
}

/** Code-length sequence with the repeat codes 16 (previous length), 17 and 18 (runs of zeros). */
function runLengthEncode(lengths: number[]): HuffmanSymbol[] {
  const out: HuffmanSymbol[] = [];
  const plain = (code: number, times: number): void => {
    for (let time = 0; time < times; time++) out.push({ code, extraBits: 0, extraValue: 0 });
  };
  for (let index = 0; index < lengths.length;) {
    const length = lengths[index];
    let run = 1;
    while (index + run < lengths.length && lengths[index + run] === length) run++;
    index += run;
    if (length === 0) {
      for (; run >= 11; run -= Math.min(run, 138)) {
        out.push({ code: 18, extraBits: 7, extraValue: Math.min(run, 138) - 11 });
      }
      if (run >= 3) out.push({ code: 17, extraBits: 3, extraValue: run - 3 });
      else plain(0, run);
      continue;
    }
    plain(length, 1);
    for (run--; run >= 3; run -= Math.min(run, 6)) {
      out.push({ code: 16, extraBits: 2, extraValue: Math.min(run, 6) - 3 });
    }
    plain(length, run);
  }
  return out;
}

class BitWriter {
  private readonly bytes: number[] = [];
  private buffer = 0;
  private bitCount = 0;

  /** Writes `count` bits of `value`, least significant first. */
  write(value: number, count: number): void {
    for (let bit = 0; bit < count; bit++) {
      this.buffer |= ((value >>> bit) & 1) << this.bitCount;
      if (++this.bitCount === 8) {
        this.bytes.push(this.buffer);
        this.buffer = 0;
        this.bitCount = 0;
      }
    }
  }

  writeSymbol(symbol: HuffmanSymbol, codes: number[], lengths: number[]): void {
    this.write(codes[symbol.code], lengths[symbol.code]);
    this.write(symbol.extraValue, symbol.extraBits);
  }

  finish(): Buffer {
    if (this.bitCount > 0) this.bytes.push(this.buffer);
    return Buffer.from(this.bytes);
  }
}

function reverseBits(value: number, count: number): number {
  let reversed = 0;
  for (let bit = 0; bit < count; bit++) reversed = (reversed << 1) | ((value >>> bit) & 1);
  return reversed;
}

function lastIndexAtMost(table: number[], value: number): number {
  let index = table.length - 1;
  while (table[index] > value) index--;
  return index;
}

function lastNonZero(values: number[]): number {
  let index = values.length - 1;
  while (index >= 0 && values[index] === 0) index--;
  return index;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let crc = index;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

function crc32(input: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of input) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
