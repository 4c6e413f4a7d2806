'use strict';
// The payloads of the deflate interop tests: 0 B, 1 B, 100 KB and 10 MB, text and binary,
// compressible and random. Each client compares the echo with what it sent.
const crypto = require('crypto');
function random(length) {
  return crypto.randomBytes(length);
}
function compressible(length) {
  const words = ['alpha', 'beta', 'gamma', 'delta', '{"id":', '"price":', ' '];
  let text = '';
  let i = 0;
  while (text.length < length) {
    text += words[i % words.length] + (i % 97) + ' ';
    i++;
  }
  return Buffer.from(text.slice(0, length), 'latin1');
}
exports.all = (full) => {
  const list = [];
  const sizes = full ? [0, 1, 100 * 1024, 10 * 1024 * 1024] : [0, 1, 100 * 1024];
  for (const size of sizes) {
    list.push({ name: `text ${size}`, binary: false, data: compressible(size) });
    list.push({ name: `binary compressible ${size}`, binary: true, data: compressible(size) });
    list.push({ name: `binary random ${size}`, binary: true, data: random(size) });
  }
  return list;
};
