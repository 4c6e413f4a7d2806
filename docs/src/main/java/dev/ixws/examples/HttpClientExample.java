package dev.ixws.examples;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpClient;
import dev.ixws.http.HttpParameters;
import dev.ixws.http.HttpRequestArgs;
import dev.ixws.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The guide's "HTTP client API": preparation (headers, timeouts, redirects, compression, verbose
 * logger), the synchronous HEAD, GET, POST of parameters and POST of a body, reading the result,
 * and the asynchronous {@code performRequest}. The guide's comments swap {@code statusCode} and
 * {@code errorCode}: here the HTTP status is {@code statusCode()}, the error enum {@code
 * errorCode()}.
 */
public final class HttpClientExample {

  private HttpClientExample() {}

  /** Runs the example against {@code args[0]} (default {@code http://localhost:8080/}). */
  public static void main(String[] args) throws Exception {
    run(args.length > 0 ? args[0] : "http://localhost:8080/", System.out::print);
  }

  /** Runs the requests against {@code url}; returns one line per response. */
  public static List<String> run(String url, Consumer<String> log) throws Exception {
    List<String> results = new ArrayList<>();
    //
    // Preparation
    //
    try (HttpClient httpClient = new HttpClient()) {
      HttpRequestArgs args = httpClient.createRequest();
      // Custom headers can be set
      WebSocketHttpHeaders headers = WebSocketHttpHeaders.builder().set("Foo", "bar").build();
      args.setExtraHeaders(headers);
      // Timeout options
      args.setConnectTimeout(10);
      args.setTransferTimeout(30);
      // Redirect options
      args.setFollowRedirects(true);
      args.setMaxRedirects(5);
      // Misc
      args.setCompress(true); // Enable gzip compression
      args.setVerbose(true);
      args.setLogger(log);
      //
      // Synchronous Request
      //
      HttpResponse out;
      // HEAD request
      out = httpClient.head(url, args);
      results.add(describe("HEAD", out));
      // GET request
      out = httpClient.get(url, args);
      results.add(describe("GET", out));
      // POST request with parameters
      HttpParameters httpParameters = new HttpParameters();
      httpParameters.put("foo", "bar");
      out = httpClient.post(url, httpParameters, args);
      results.add(describe("POST parameters", out));
      // POST request with a body
      out = httpClient.post(url, "foo=bar", args);
      results.add(describe("POST body", out));
    }
    //
    // Asynchronous Request
    //
    boolean async = true;
    try (HttpClient httpClient = new HttpClient(async)) {
      HttpRequestArgs args = httpClient.createRequest(url, HttpClient.GET);
      CompletableFuture<String> done = new CompletableFuture<>();
      // Push the request; the callback runs on a background thread.
      boolean ok =
          httpClient.performRequest(
              args, response -> done.complete(describe("async GET", response)));
      // ok would be false if the httpClient were not async
      if (!ok) {
        throw new IllegalStateException("performRequest refused on an async client");
      }
      results.add(done.get(30, TimeUnit.SECONDS));
    }
    return results;
  }

  private static String describe(String what, HttpResponse response) {
    //
    // Result
    //
    int statusCode = response.statusCode(); // 200, 404, etc...
    var errorCode = response.errorCode(); // HttpErrorCode.OK, HttpErrorCode.URL_MALFORMED, etc...
    var responseHeaders = response.headers(); // case-insensitive
    String payload = response.body(); // the body, decoded as UTF-8 (bodyBytes() for bytes)
    String errorMsg = response.errorMsg(); // descriptive error message in case of failure
    long uploadSize = response.uploadSize(); // byte count of uploaded data
    long downloadSize = response.downloadSize(); // byte count of downloaded data
    return what
        + ": "
        + errorCode
        + " "
        + statusCode
        + " "
        + payload
        + (errorMsg.isEmpty() ? "" : " (" + errorMsg + ")")
        + " type="
        + responseHeaders.getOrDefault("content-type", "-")
        + " up="
        + uploadSize
        + " down="
        + downloadSize;
  }
}
