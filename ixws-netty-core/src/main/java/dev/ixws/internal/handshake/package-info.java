/**
 * The opening handshake's pieces shared by both roles (RFC 6455 section 4): header conversions
 * between Netty and the public {@code WebSocketHttpHeaders}, subprotocol tokens and negotiation,
 * and (with deflate) extension negotiation.
 *
 * <p>Threading: stateless helpers, safe from any thread.
 */
package dev.ixws.internal.handshake;
