/**
 * ixws-netty HTTP: {@link dev.ixws.http.HttpClient}, IXWebSocket's HTTP client, on the event loops
 * shared with the WebSockets. Netty's HTTP codec stays in {@code dev.ixws.http.internal}, which is
 * not exported.
 */
module dev.ixws.http {
  requires transitive dev.ixws.core;
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
