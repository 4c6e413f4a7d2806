/** ixws-netty server: {@link dev.ixws.server.WebSocketServer}. */
module dev.ixws.server {
  requires transitive dev.ixws.core;
  requires transitive dev.ixws.client;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires org.slf4j;

  exports dev.ixws.server;
  // WebSocket upgrades on the HTTP server's port.
  exports dev.ixws.server.internal to
      dev.ixws.http;
}
