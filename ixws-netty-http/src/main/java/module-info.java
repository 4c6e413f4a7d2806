/**
 * ixws-netty HTTP: {@link dev.ixws.http.HttpClient} and {@link dev.ixws.http.HttpServer},
 * IXWebSocket's HTTP client and server, on the event loops shared with the WebSockets. Netty's HTTP
 * codec stays in {@code dev.ixws.http.internal}, which is not exported.
 */
module dev.ixws.http {
  requires transitive dev.ixws.core;
  // WebSocket upgrades on the HTTP server's port: WebSocketServer's callbacks and engine.
  requires transitive dev.ixws.server;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.codec;
  requires io.netty.codec.compression;
  requires io.netty.codec.http;
  requires io.netty.handler;
  requires org.slf4j;

  exports dev.ixws.http;
}
