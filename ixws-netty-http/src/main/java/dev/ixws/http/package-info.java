/**
 * IXWebSocket's HTTP client: {@link dev.ixws.http.HttpClient}, its mutable request arguments {@link
 * dev.ixws.http.HttpRequestArgs} and the immutable {@link dev.ixws.http.HttpResponse}.
 *
 * <p>Threading: every method of {@code HttpClient} is safe from any thread. The synchronous methods
 * ({@code get}, {@code post}, ...) block the calling thread until the response is complete and must
 * not be called from an event loop. Callbacks (response, chunk, progress) run on a thread of the
 * client's callback pool, never on an event loop; those of one request run one at a time and in
 * order. Failures never throw: they come back as an {@code HttpResponse} whose {@link
 * dev.ixws.http.HttpResponse#errorCode()} says what went wrong and whose {@link
 * dev.ixws.http.HttpResponse#errorMsg()} says it in words.
 */
package dev.ixws.http;
