/**
 * The HTTP client's machinery, on Netty's HTTP codec; not exported. {@code RequestRun} runs one
 * public request (its retries and redirects), each attempt an {@code Exchange} on a connection
 * leased from the {@code ConnectionPool}; {@code HttpConnections} builds the pipeline (the one
 * place where TLS will be added). Everything that touches a channel runs on its event loop; user
 * callbacks go through a {@code SerialExecutor} on the shared callback pool.
 *
 * <p>The server: {@code HttpServerPipeline} binds through core's {@code Acceptor} and builds each
 * connection's pipeline (with the named TLS slot at its head); {@code ServerConnection} is one
 * connection's state machine on its event loop, handing requests to the callback executor; {@code
 * StaticFiles} is the default callback's file server.
 */
package dev.ixws.http.internal;
