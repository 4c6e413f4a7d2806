package dev.ixws.http.internal;

import dev.ixws.http.internal.HttpUrl.Origin;
import dev.ixws.internal.tls.TlsClient;
import io.netty.channel.Channel;

/**
 * One keep-alive connection of the pool: its channel, its origin and the handler at the tail of its
 * pipeline that hands the decoded response to the exchange running on it.
 */
final class PooledConnection {

  final Channel channel;
  final Origin origin;
  final ConnectionHandler handler;
  // The TLS side it was made with (null for http): reused only for requests with the same one.
  final TlsClient tls;
  // Incremented on each lease (event loop or pool lock): an idle timer of an older generation no
  // longer applies.
  volatile long generation;
  // How many exchanges this connection has carried (1 for a fresh one): >1 means reused.
  int uses;

  PooledConnection(Channel channel, Origin origin, ConnectionHandler handler, TlsClient tls) {
    this.channel = channel;
    this.origin = origin;
    this.handler = handler;
    this.tls = tls;
  }

  boolean isActive() {
    return channel.isActive();
  }

  @Override
  public String toString() {
    return origin + " " + channel.localAddress();
  }
}
