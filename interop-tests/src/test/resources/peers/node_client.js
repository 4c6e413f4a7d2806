'use strict';
// Client on node's `ws`, a peer for the interop tests: node node_client.js URL SCENARIO
// Prints one JSON line per step and exits 0 when every step succeeded.
// Scenarios (the Python client prints the same lines for the same scenario):
//   echo          against an echo server: text, binary (all 256 byte values), a fragmented text
//                 message, 10 MB of binary, a ping that must be answered with the same payload,
//                 then close 1000 "client done" and report the close code and reason received;
//   server-close  wait for the server to close and report its code and reason;
//   subprotocol   offer ["chat"], report the accepted protocol, then close as in echo;
//   deflate-offered  offer permessage-deflate, report the extensions the server accepted, echo a
//                 text message, then close as in echo.
// Only deflate-offered offers permessage-deflate.
const crypto = require('crypto');
const WebSocket = require('ws');

const [url, scenario] = process.argv.slice(2);
const STEP_TIMEOUT_MS = 15000;
let failed = false;

function print(line) {
  process.stdout.write(JSON.stringify(line) + '\n');
}

function step(name, ok, detail) {
  const line = { step: name, ok };
  if (!ok) {
    line.detail = detail;
    failed = true;
  }
  print(line);
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Opens a connection whose messages can be awaited one at a time with next().
function open(protocols, offerDeflate = false) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, {
      perMessageDeflate: offerDeflate,
      maxPayload: 64 * 1024 * 1024,
    });
    const queue = [];
    const waiters = [];
    ws.on('message', (data, isBinary) => {
      const message = { data, isBinary };
      if (waiters.length > 0) {
        waiters.shift()(message);
      } else {
        queue.push(message);
      }
    });
    ws.next = () => withTimeout(
      queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r)),
      'a message');
    ws.closed = new Promise((r) => {
      ws.on('close', (code, reason) => r({ code, reason: reason.toString('utf8') }));
    });
    ws.on('error', (err) => {
      process.stderr.write(`error: ${err.message}\n`);
      reject(err);
    });
    ws.once('open', () => resolve(ws));
  });
}

function describe(message) {
  return `${message.isBinary ? 'binary' : 'text'} of ${message.data.length} bytes`;
}

async function closeAndReport(ws) {
  ws.close(1000, 'client done');
  const closed = await withTimeout(ws.closed, 'the close');
  print({ step: 'close', code: closed.code, reason: closed.reason });
}

async function echo() {
  const ws = await open([]);

  ws.send('hello');
  let m = await ws.next();
  step('text', !m.isBinary && m.data.toString('utf8') === 'hello', describe(m));

  const allBytes = Buffer.from([...Array(256).keys()]);
  ws.send(allBytes);
  m = await ws.next();
  step('binary', m.isBinary && m.data.equals(allBytes), describe(m));

  ws.send('alpha', { fin: false });
  ws.send('beta', { fin: false });
  ws.send('gamma', { fin: true });
  m = await ws.next();
  step('fragmented', !m.isBinary && m.data.toString('utf8') === 'alphabetagamma', describe(m));

  const big = crypto.randomBytes(10 * 1024 * 1024);
  ws.send(big);
  m = await ws.next();
  step('big', m.isBinary && m.data.equals(big), describe(m));

  const payload = Buffer.from('ping-payload');
  const pong = new Promise((r) => ws.once('pong', r));
  ws.ping(payload);
  const pongData = await withTimeout(pong, 'the pong');
  step('ping', pongData.equals(payload), `pong payload ${pongData.toString('hex')}`);

  await closeAndReport(ws);
}

async function serverClose() {
  const ws = await open([]);
  const closed = await withTimeout(ws.closed, 'the server close');
  print({ step: 'closed', code: closed.code, reason: closed.reason });
}

async function subprotocol() {
  const ws = await open(['chat']);
  print({ step: 'protocol', protocol: ws.protocol });
  await closeAndReport(ws);
}

async function deflateOffered() {
  const ws = await open([], true);
  print({ step: 'extensions', extensions: ws.extensions });
  ws.send('hello');
  const m = await ws.next();
  step('text', !m.isBinary && m.data.toString('utf8') === 'hello', describe(m));
  await closeAndReport(ws);
}

const scenarios = {
  echo,
  'server-close': serverClose,
  subprotocol,
  'deflate-offered': deflateOffered,
};

(scenarios[scenario] || (() => Promise.reject(new Error(`unknown scenario ${scenario}`))))()
  .then(() => process.exit(failed ? 1 : 0))
  .catch((err) => {
    process.stderr.write(`failed: ${err.stack || err}\n`);
    process.exit(2);
  });
