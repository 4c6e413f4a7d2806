/**
 * ixws-netty core: the message and value types of the IXWebSocket API, {@link dev.ixws.NetSystem},
 * and (in internal packages, for sibling modules only) the WebSocket session engine.
 */
module dev.ixws.core {
  requires io.netty.common;
  requires io.netty.buffer;
  requires io.netty.transport;
  requires io.netty.handler;
  requires io.netty.codec;
  requires io.netty.codec.http;
  requires io.netty.resolver;
  requires io.netty.resolver.dns;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires org.slf4j;

  exports dev.ixws;
  // The internals, for the sibling modules only (dev.ixws.http once it lands).
  exports dev.ixws.internal.transport to
      dev.ixws.client,
      dev.ixws.server;
  exports dev.ixws.internal.codec to
      dev.ixws.client,
      dev.ixws.server;
  exports dev.ixws.internal.session to
      dev.ixws.client,
      dev.ixws.server;
  exports dev.ixws.internal.handshake to
      dev.ixws.client,
      dev.ixws.server;
  exports dev.ixws.internal.tls to
      dev.ixws.client,
      dev.ixws.server;
}
