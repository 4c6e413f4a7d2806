// Echo server on node `ws` (Debian node-ws): binary as binary, text as text.
// Run: NODE_PATH=/usr/share/nodejs node benchmarks/peers/ws-echo.js PORT ; prints "PORT n".
const { WebSocketServer } = require("ws");
const port = parseInt(process.argv[2] || "0", 10);
const wss = new WebSocketServer({ port, host: "127.0.0.1", backlog: 4096, maxPayload: 16 * 1024 * 1024 });
wss.on("connection", (ws) => {
  ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on("error", () => {});
});
wss.on("listening", () => console.log("PORT " + wss.address().port));
