/**
 * base64url (RFC 4648, section 5, without padding) of bytes and back, written out because the core has no
 * Buffer. Its alphabet (letters, digits, `-` and `_`) is inside what RDS accepts in a tag value.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES: ReadonlyMap<string, number> = new Map([...ALPHABET].map((char, value) => [char, value]));

export function toBase64Url(bytes: Uint8Array): string {
  let text = '';
  let bits = 0;
  let count = 0;
  for (const byte of bytes) {
    bits = (bits << 8) | byte;
    count += 8;
    while (count >= 6) {
      count -= 6;
      text += ALPHABET.charAt((bits >> count) & 63);
    }
    bits &= (1 << count) - 1;
  }
  if (count > 0) text += ALPHABET.charAt((bits << (6 - count)) & 63);
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
