/**
 * Configuration files are UTF-8 text, as Atmos reads them. Decoding other bytes leniently would
 * turn them into U+FFFD without a word and resolve a configuration that is not the one written;
 * so bytes that are not UTF-8 are an error naming the file and line, and a UTF-16 file (Windows
 * editors save that way) is named as such.
 */
import fs from 'node:fs';
import { AtmosError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The first byte offset where `bytes` stops being UTF-8 (a slow path, only once decoding failed). */
function firstInvalid(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest valid prefix, by bisection: decoding a prefix fails only from the first bad sequence on (or mid-character at its end).
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

/** `bytes` of `file` as text; throws an AtmosError naming the file (and line) when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  const utf16 = (b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff);
  // UTF-16 without a byte order mark: ASCII text with a NUL before or after every character.
  const nulPairs = bytes.length >= 4 && ((bytes[1] === 0 && bytes[3] === 0 && b0 !== 0) || (b0 === 0 && bytes[2] === 0 && b1 !== 0));
  if (utf16 || nulPairs) {
    throw new AtmosError(`${file} is UTF-16 encoded; Atmos reads configuration as UTF-8: save the file as UTF-8`, { file, line: 1 });
  }
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalid(bytes);
    const line = bytes.subarray(0, at).reduce((n, c) => n + (c === 0x0a ? 1 : 0), 1);
    const hex = Buffer.from(bytes.subarray(at, at + 4)).toString('hex');
    throw new AtmosError(`${file} is not valid UTF-8 (line ${line}, bytes 0x${hex}…): save the file as UTF-8`, { file, line });
  }
}

/** Reads `file` as UTF-8 text (see {@link decodeUtf8}); errors of the read itself are thrown as they come. */
export function readUtf8File(file: string): string {
  return decodeUtf8(fs.readFileSync(file), file);
}
