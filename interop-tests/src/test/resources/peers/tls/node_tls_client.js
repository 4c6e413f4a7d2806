// node ws over TLS: connects to argv[2] trusting the CA file argv[3] (and presenting argv[4] with
// key argv[5] when given), sends one text and prints its echo.
const fs = require('fs');
const WebSocket = require('ws');

const [url, ca, cert, key] = process.argv.slice(2);
const options = { ca: fs.readFileSync(ca) };
if (cert) {
  options.cert = fs.readFileSync(cert);
  options.key = fs.readFileSync(key);
}
const ws = new WebSocket(url, options);
ws.on('open', () => ws.send('hello tls'));
ws.on('message', (data) => {
  console.log('ECHO ' + data.toString());
  ws.close(1000);
});
ws.on('error', (e) => {
  console.log('FAIL ' + e.message);
  process.exit(1);
});
