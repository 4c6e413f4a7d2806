// Echo server on node `ws` (Debian node-ws): binary as binary, text as text.
// Run: NODE_PATH=/usr/share/nodejs node benchmarks/peers/ws-echo.js PORT [--deflate] ; prints "PORT n".
// --deflate accepts permessage-deflate offers (node's zlib, its defaults: level 6, 15-bit windows)
// and compresses every message (threshold 0, as ours: node's default leaves messages under 1 KB
// uncompressed).
const { WebSocketServer } = require("ws");
const port = parseInt(process.argv[2] || "0", 10);
const perMessageDeflate = process.argv.includes("--deflate") ? { threshold: 0 } : false;
const wss = new WebSocketServer({
  port, host: "127.0.0.1", backlog: 4096, maxPayload: 16 * 1024 * 1024, perMessageDeflate,
});
wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on("error", () => {});
});
wss.on("listening", () => console.log("PORT " + wss.address().port));
