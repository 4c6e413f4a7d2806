'use strict';
// A node `ws` client with permessage-deflate, for the deflate interop tests.
// Arguments: URL and a JSON object of ws's perMessageDeflate options. Prints
//   EXT <the server's Sec-WebSocket-Extensions>
// then sends the payloads of deflate_payloads.js (text and binary, random and compressible, 0 B to 10 MB)
// one at a time, compares each echo byte for byte, and prints "OK <n>" or "FAIL <why>".
const WebSocket = require('ws');
const payloads = require('./deflate_payloads.js');

const url = process.argv[2];
const options = JSON.parse(process.argv[3] || '{}');
const full = options.payloads === 'full';  // "small" leaves out the 10 MB payloads
delete options.payloads;
const ws = new WebSocket(url, {
  perMessageDeflate: Object.assign({ threshold: 0 }, options),
  maxPayload: 64 * 1024 * 1024,
});
const list = payloads.all(full);
let index = 0;

ws.on('upgrade', (res) => {
  process.stdout.write(`EXT ${res.headers['sec-websocket-extensions']}\n`);
});
ws.on('open', () => sendNext());
ws.on('message', (data, isBinary) => {
  const expected = list[index];
  const same = isBinary === expected.binary && Buffer.compare(data, expected.data) === 0;
  if (!same) {
    process.stdout.write(`FAIL payload ${index} (${expected.name}) came back different\n`);
    ws.close(1000);
    return;
  }
  index++;
  sendNext();
});
ws.on('close', (code) => process.stdout.write(`CLOSED ${code}\n`));
ws.on('error', (err) => process.stdout.write(`FAIL ${err.message}\n`));

function sendNext() {
  if (index === list.length) {
    process.stdout.write(`OK ${list.length}\n`);
    ws.close(1000);
    return;
  }
  const p = list[index];
  ws.send(p.data, { binary: p.binary, compress: true });
}
