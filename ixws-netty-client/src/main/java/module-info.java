/**
 * ixws-netty client: {@link dev.ixws.client.WebSocket}, also the per-connection object that a
 * server hands out.
 */
module dev.ixws.client {
  requires transitive dev.ixws.core;
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires org.slf4j;

  exports dev.ixws.client;
  exports dev.ixws.client.internal to
      dev.ixws.server;
}
