'use strict';
// Echo server on node's `ws` with permessage-deflate, a peer for the deflate interop tests.
// Argument: a JSON object of ws's perMessageDeflate options (serverNoContextTakeover,
// clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits); threshold is 0, so every
// message is compressed. Prints "PORT <n>", then per connection the extension it agreed on:
//   EXT <what ws negotiated, as JSON>
// and echoes every message as it came (text as text, binary as binary).
const { WebSocketServer } = require('ws');

const options = JSON.parse(process.argv[2] || '{}');
const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  maxPayload: 64 * 1024 * 1024,
  perMessageDeflate: Object.assign({ threshold: 0 }, options),
});

server.on('listening', () => process.stdout.write(`PORT ${server.address().port}\n`));
server.on('connection', (ws) => {
  const deflate = ws._extensions['permessage-deflate'];
  process.stdout.write(`EXT ${JSON.stringify(deflate ? deflate.params : null)}\n`);
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary, compress: true }));
  ws.on('error', (err) => process.stderr.write(`connection error: ${err.message}\n`));
});
