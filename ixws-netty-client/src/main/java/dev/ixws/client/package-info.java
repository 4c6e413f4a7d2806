/**
 * The WebSocket client: {@link dev.ixws.client.WebSocket}.
 *
 * <p>Threading: every public method is safe from any thread. Callbacks of one WebSocket never run
 * concurrently and arrive in order, on the connection's event-loop thread unless a callback
 * executor is set.
 */
package dev.ixws.client;
