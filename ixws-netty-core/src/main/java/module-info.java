/**
 * ixws-netty core: the message and value types of the IXWebSocket API, {@link dev.ixws.NetSystem},
 * and (in internal packages, for sibling modules only) the WebSocket session engine.
 */
// JZlib has no module descriptor: it is an automatic module, required on purpose.
@SuppressWarnings("requires-automatic")
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
  requires jzlib;

  exports dev.ixws;
  // The internals, for the sibling modules only.
  exports dev.ixws.internal.transport to
      dev.ixws.client,
      dev.ixws.server,
      dev.ixws.http;
  exports dev.ixws.internal.codec to
      dev.ixws.client,
      dev.ixws.server;
  exports dev.ixws.internal.session to
      dev.ixws.client,
      dev.ixws.server;
  exports dev.ixws.internal.deflate to
      dev.ixws.client,
      dev.ixws.server;
  exports dev.ixws.internal.handshake to
      dev.ixws.client,
      dev.ixws.server;
  exports dev.ixws.internal.tls to
      dev.ixws.client,
      dev.ixws.server,
      dev.ixws.http;
}
