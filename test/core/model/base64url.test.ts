// base64url without padding: the text of a byte string, and which texts are refused.
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../../src/core/model/base64url.js';

describe('toBase64Url', () => {
  it('writes six bits a character, a last group of two or four bits filled with zeros', () => {
    // Act
    const texts = [
      [0],
      [0xff],
      [0xff, 0xff],
      [0xff, 0xff, 0xff],
      [0x00, 0x10, 0x83],
      [0xff, 0xff, 0xff, 0xff],
    ].map((bytes) => toBase64Url(new Uint8Array(bytes)));

    // Assess
    expect(texts).toEqual(['AA', '_w', '__8', '____', 'ABCD', '_____w']);
  });
});

describe('fromBase64Url', () => {
  it.each([
    ['one character', 'A'],
    ['five characters of zero bits', 'AAAAA'],
    ['nine characters of zero bits', 'AAAAAAAAA'],
  ])('refuses %s: no byte string has a text of length 4n + 1', (_, text) => {
    // Act
    const bytes = fromBase64Url(text);

    // Assess
    expect(bytes).toBeUndefined();
  });

  it('reads texts of every other length, zero bits included', () => {
    // Act
    const bytes = ['', 'AA', 'AAA', 'AAAA', 'AAAAAA'].map((text) => fromBase64Url(text));

    // Assess
    expect(bytes).toEqual([[], [0], [0, 0], [0, 0, 0], [0, 0, 0, 0]].map((b) => new Uint8Array(b)));
  });
});
