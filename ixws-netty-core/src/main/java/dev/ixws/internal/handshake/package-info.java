/**
 * The opening handshake's pieces shared by both roles (RFC 6455 section 4): the keys ({@link
 * dev.ixws.internal.handshake.AcceptKey}), the client's request ({@link
 * dev.ixws.internal.handshake.UpgradeRequest}) and its check of the response ({@link
 * dev.ixws.internal.handshake.ClientHandshakeCheck}), header token lists, the {@code
 * Sec-WebSocket-Extensions} grammar (with deflate, extension negotiation), subprotocol tokens, and
 * header conversions between Netty and the public {@code WebSocketHttpHeaders}.
 *
 * <p>Threading: stateless helpers and immutable values, safe from any thread.
 */
package dev.ixws.internal.handshake;
