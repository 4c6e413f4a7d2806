'use strict';
// Echo server on node's `ws`, a peer for the interop tests.
// Prints "PORT <n>" as its first line, then one JSON line per connection that closed:
//   {"event":"close","code":<code the client sent>,"reason":"<its reason>"}
// Echoes text as text and binary as binary. Two text commands:
//   "close:CODE:REASON"    closes the connection with CODE and REASON;
//   "fragments:A|B|C"      answers with one text message sent as the fragments A, B, C.
// No permessage-deflate here: DeflateInteropTest uses node_deflate_server.js.
const { WebSocketServer } = require('ws');

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  perMessageDeflate: false,
  maxPayload: 64 * 1024 * 1024,
});

server.on('listening', () => {
  process.stdout.write(`PORT ${server.address().port}\n`);
});

server.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const text = data.toString('utf8');
      if (text.startsWith('close:')) {
        const [, code, ...reason] = text.split(':');
        ws.close(Number(code), reason.join(':'));
        return;
      }
      if (text.startsWith('fragments:')) {
        const parts = text.slice('fragments:'.length).split('|');
        parts.forEach((part, i) => ws.send(part, { binary: false, fin: i === parts.length - 1 }));
        return;
      }
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('close', (code, reason) => {
    process.stdout.write(
      JSON.stringify({ event: 'close', code, reason: reason.toString('utf8') }) + '\n');
  });
  ws.on('error', (err) => process.stderr.write(`connection error: ${err.message}\n`));
});
