/**
 * Sockets and threads: the shared event loops, the choice of transport (epoll or NIO), and the
 * {@link dev.ixws.internal.transport.Connector} and {@link dev.ixws.internal.transport.Acceptor}
 * that every client and server of the project opens its connections through. This is where
 * asynchronous DNS, TLS and proxies plug in, once for all protocols.
 *
 * <p>Threading: {@code Connector} and {@code Acceptor} are immutable and safe from any thread; the
 * channel initializers they are given run on the new channel's event loop.
 */
package dev.ixws.internal.transport;
