/**
 * IXWebSocket's HTTP client and server: {@link dev.ixws.http.HttpClient}, its mutable request
 * arguments {@link dev.ixws.http.HttpRequestArgs} and the immutable {@link
 * dev.ixws.http.HttpResponse}; {@link dev.ixws.http.HttpServer}, the {@link
 * dev.ixws.http.HttpRequest} it hands to its callback and the per-connection {@link
 * dev.ixws.http.HttpConnectionState}.
 *
 * <p>Client threading: every method of {@code HttpClient} is safe from any thread. The synchronous
 * methods ({@code get}, {@code post}, ...) block the calling thread until the response is complete
 * and must not be called from an event loop. Callbacks (response, chunk, progress) run on a thread
 * of the client's callback pool, never on an event loop; those of one request run one at a time and
 * in order. Failures never throw: they come back as an {@code HttpResponse} whose {@link
 * dev.ixws.http.HttpResponse#errorCode()} says what went wrong and whose {@link
 * dev.ixws.http.HttpResponse#errorMsg()} says it in words.
 *
 * <p>Server threading: every method of {@code HttpServer} is safe from any thread. Its callbacks
 * run on its callback executor (its own bounded pool unless replaced), never on an event loop, so
 * they may block; the requests of one connection are handled one at a time and answered in order.
 */
package dev.ixws.http;
