/**
 * The WebSocket server: {@link dev.ixws.server.WebSocketServer} and the per-connection {@link
 * dev.ixws.server.ConnectionState}.
 *
 * <p>Threading: every public method is safe from any thread. Each accepted connection is a {@link
 * dev.ixws.client.WebSocket} whose callbacks never run concurrently and arrive in order, on the
 * connection's event-loop thread unless the server has a callback executor.
 */
package dev.ixws.server;
