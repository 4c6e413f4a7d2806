// node ws echo server behind node's https on 127.0.0.1: certificate argv[2], key argv[3];
// prints "PORT n" once listening.
const fs = require('fs');
const https = require('https');
const WebSocket = require('ws');

const server = https.createServer({
  cert: fs.readFileSync(process.argv[2]),
  key: fs.readFileSync(process.argv[3]),
});
const wss = new WebSocket.WebSocketServer({ server });
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});
server.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
