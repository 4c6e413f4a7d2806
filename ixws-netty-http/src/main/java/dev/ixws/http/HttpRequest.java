package dev.ixws.http;

import dev.ixws.WebSocketHttpHeaders;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A request received by an {@link HttpServer}: IXWebSocket's {@code HttpRequest} ({@code uri},
 * {@code method}, {@code version}, {@code headers}, {@code body}) plus the parsed parts a Java
 * handler needs. Immutable and thread-safe.
 *
 * <p>{@link #uri()} is the request target as received ({@code /search?q=a%20b}); {@link #path()} is
 * its path percent-decoded as UTF-8 ({@code /search}), {@link #query()} the raw query after {@code
 * ?} ({@code q=a%20b}) and {@link #queryParameters()} the decoded parameters ({@code q} → {@code [a
 * b]}). The body has been read in full (at most the server's body limit) before the callback runs;
 * a chunked request body arrives here de-chunked.
 */
public final class HttpRequest {

  private final String method;
  private final String uri;
  private final String version;
  private final WebSocketHttpHeaders headers;
  private final byte[] body;
  private final String remoteIp;
  private final int remotePort;
  private final String path;
  private final String query;
  private final Map<String, List<String>> queryParameters;

  /**
   * A request (the server makes them; tests of a callback may too).
   *
   * @param method the method as received, e.g. {@code "GET"}
   * @param uri the request target, e.g. {@code "/a/b?c=d"}
   * @param version the protocol version, e.g. {@code "HTTP/1.1"}
   * @param body the body's bytes (copied)
   * @param remoteIp the client's IP address as text
   * @param remotePort the client's TCP port
   */
  public HttpRequest(
      String method,
      String uri,
      String version,
      WebSocketHttpHeaders headers,
      byte[] body,
      String remoteIp,
      int remotePort) {
    this(
        method,
        uri,
        version,
        headers,
        Objects.requireNonNull(body, "body").clone(),
        remoteIp,
        remotePort,
        true);
  }

  private HttpRequest(
      String method,
      String uri,
      String version,
      WebSocketHttpHeaders headers,
      byte[] body,
      String remoteIp,
      int remotePort,
      boolean owned) {
    this.method = Objects.requireNonNull(method, "method");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.version = Objects.requireNonNull(version, "version");
    this.headers = Objects.requireNonNull(headers, "headers");
    this.body = body;
    this.remoteIp = Objects.requireNonNull(remoteIp, "remoteIp");
    this.remotePort = remotePort;
    int fragment = uri.indexOf('#');
    String target = fragment < 0 ? uri : uri.substring(0, fragment);
    int question = target.indexOf('?');
    String rawPath = question < 0 ? target : target.substring(0, question);
    this.query = question < 0 ? "" : target.substring(question + 1);
    this.path = decodePath(rawPath);
    this.queryParameters = parseQuery(query);
  }

  /** The method, e.g. {@code "GET"}. */
  public String method() {
    return method;
  }

  /** The request target as received: path and query, still percent-encoded. */
  public String uri() {
    return uri;
  }

  /**
   * The path of {@link #uri()} percent-decoded as UTF-8 ({@code +} stays {@code +}); a malformed
   * escape is kept as it is. May contain {@code ..} or a decoded {@code /}: check it before using
   * it as a file name.
   */
  public String path() {
    return path;
  }

  /** The raw query string after {@code ?}, empty when there is none. */
  public String query() {
    return query;
  }

  /**
   * The query's parameters decoded ({@code application/x-www-form-urlencoded} rules: {@code +} is a
   * space), in order of first appearance, each with all its values; read-only.
   */
  public Map<String, List<String>> queryParameters() {
    return queryParameters;
  }

  /** The first value of query parameter {@code name}, or {@code null}. */
  public String queryParameter(String name) {
    List<String> values = queryParameters.get(name);
    return values == null ? null : values.get(0);
  }

  /** The protocol version, {@code "HTTP/1.1"} or {@code "HTTP/1.0"}. */
  public String version() {
    return version;
  }

  /** The headers, case-insensitive; a repeated header has its values joined with {@code ", "}. */
  public WebSocketHttpHeaders headers() {
    return headers;
  }

  /** The body decoded as UTF-8 (IX's {@code body} string); empty when there is none. */
  public String body() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A copy of the body's bytes. */
  public byte[] bodyBytes() {
    return body.clone();
  }

  /** How many bytes the body has. */
  public int bodyLength() {
    return body.length;
  }

  /** The client's IP address as text. */
  public String remoteIp() {
    return remoteIp;
  }

  /** The client's TCP port (0 on a transport without ports). */
  public int remotePort() {
    return remotePort;
  }

  @Override
  public String toString() {
    return "HttpRequest[" + method + " " + uri + " " + version + ", " + body.length + " bytes]";
  }

  // Percent-decoding of a path: %XX only, as UTF-8; '+' is a literal plus in a path.
  private static String decodePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    byte[] out = new byte[raw.length()];
    int n = 0;
    byte[] in = raw.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      int hi;
      int lo;
      if (in[i] == '%'
          && i + 2 < in.length
          && (hi = Character.digit(in[i + 1], 16)) >= 0
          && (lo = Character.digit(in[i + 2], 16)) >= 0) {
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else {
        out[n++] = in[i];
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> parseQuery(String query) {
    if (query.isEmpty()) {
      return Map.of();
    }
    LinkedHashMap<String, List<String>> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decodeForm(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : decodeForm(pair.substring(equals + 1));
      parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    parameters.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(parameters);
  }

  private static String decodeForm(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // A malformed escape: keep the text as it came.
      return text;
    }
  }
}
