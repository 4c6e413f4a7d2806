package dev.ixws.http.internal;

import dev.ixws.server.internal.EmbeddedUpgrades;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The immutable snapshot of an {@code HttpServer}'s settings that {@code listen()} takes and the
 * connections read.
 *
 * @param maxConnections connections beyond this many get 503 and are closed
 * @param maxRequestLineBytes longest request line; longer gets 414
 * @param maxHeaderBytes largest header block; larger gets 431
 * @param maxBodyBytes largest request body; larger gets 413
 * @param requestTimeoutMillis time to receive a whole request from its first byte (408 then), and
 *     the longest a response write may make no progress (the connection is dropped then)
 * @param idleTimeoutMillis how long a keep-alive connection may wait for its next request
 * @param compression whether responses are gzipped for clients that accept it
 * @param executor where request handlers run
 * @param handler the request handler
 * @param upgrades where WebSocket upgrade requests go, or null to treat them as plain requests
 */
public record HttpServerConfig(
    int maxConnections,
    int maxRequestLineBytes,
    int maxHeaderBytes,
    long maxBodyBytes,
    long requestTimeoutMillis,
    long idleTimeoutMillis,
    boolean compression,
    Executor executor,
    RequestHandler handler,
    EmbeddedUpgrades upgrades) {

  /** Checks the references. */
  public HttpServerConfig {
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(handler, "handler");
  }
}
