/**
 * The examples of IXWebSocket's usage guide ("WebSocket client API" and "WebSocket server API"),
 * written with ixws-netty: the same calls in the same order, in Java casing, with lambdas. Each
 * class has a {@code main} and a {@code run} method that the module's tests call against a real
 * server; {@code run} prints what the C++ prints (to the {@code Consumer<String>} it is given) and
 * returns what it observed.
 *
 * <p>Where the C++ calls a feature that is not implemented yet (heartbeat, automatic reconnection,
 * per-message deflate, TLS), the example has a one-line comment naming the feature that brings it.
 * Where Java needs a line that the C++ snippet leaves out (waiting for {@code OPEN} before sending,
 * because the guide's snippets are not complete programs), a comment says so.
 *
 * <p>Threading: callbacks run on the connection's event-loop thread, so the examples hand results
 * to the calling thread through {@link java.util.concurrent.CompletableFuture}s and thread-safe
 * lists, and never block inside a callback.
 */
package dev.ixws.examples;
