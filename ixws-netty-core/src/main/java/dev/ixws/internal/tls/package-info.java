/**
 * TLS for every client and server of the project (WebSocket now, HTTP next): {@link
 * dev.ixws.internal.tls.TlsContexts} turns {@link dev.ixws.SocketTLSOptions} into Netty contexts
 * with the engine {@link dev.ixws.internal.tls.TlsEngine} picks (BoringSSL or the JDK); {@link
 * dev.ixws.internal.tls.TlsClient} and {@link dev.ixws.internal.tls.TlsServer} make the {@code
 * SslHandler} that {@code internal.transport}'s {@code Connector} and {@code Acceptor} put at the
 * head of each pipeline; {@link dev.ixws.internal.tls.PeerVerifier} checks peers with the same
 * rules and words on both engines; {@link dev.ixws.internal.tls.TlsFailures} turns failures into
 * readable reasons. Nothing here is public API. See {@code docs/tls.md}.
 */
package dev.ixws.internal.tls;
