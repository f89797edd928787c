/**
 * base64url (RFC 4648, section 5, without padding) of bytes and back, written out because the core has no
 * Buffer. Its alphabet (letters, digits, `-` and `_`) is inside what RDS accepts in a tag value.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES: ReadonlyMap<string, number> = new Map([...ALPHABET].map((char, value) => [char, value]));

export function toBase64Url(bytes: Uint8Array): string {
  const bits = Array.from(bytes, (byte) => byte.toString(2).padStart(8, '0')).join('');
  let text = '';
  // Six bits a character; the last group is filled with zero bits.
  for (let start = 0; start < bits.length; start += 6) {
    text += ALPHABET.charAt(Number.parseInt(bits.slice(start, start + 6).padEnd(6, '0'), 2));
  }
  return text;
}

/**
 * The bytes of a base64url text; undefined for a character outside the alphabet (padding included), a length
 * no encoding has (4n + 1), or unused trailing bits that are not zero (so each byte string has one text).
 */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let count = 0;
  let index = 0;
  for (const char of text) {
    const value = VALUES.get(char);
    if (value === undefined) return undefined;
    bits = (bits << 6) | value;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[index++] = (bits >> count) & 255;
      bits &= (1 << count) - 1;
    }
  }
  return bits === 0 ? bytes : undefined;
}
