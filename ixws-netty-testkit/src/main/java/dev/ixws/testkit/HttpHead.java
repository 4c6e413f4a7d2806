package dev.ixws.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The start line and headers of an HTTP/1.1 request or response, as read off the wire.
 *
 * @param startLine the first line without its CRLF, e.g. {@code HTTP/1.1 101 Switching Protocols}
 * @param headers each header line as name and value (trimmed), in order, repeats kept
 */
public record HttpHead(String startLine, List<Map.Entry<String, String>> headers) {

  /** Copies the header list. */
  public HttpHead {
    headers = List.copyOf(headers);
  }

  /** Parses a head (without the final empty line), lines separated by CRLF. */
  public static HttpHead parse(String head) {
    String[] lines = head.split("\r\n");
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(
            Map.entry(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()));
      }
    }
    return new HttpHead(lines[0], headers);
  }

  /** The status code of a response's start line, or -1 when it is not a response line. */
  public int status() {
    String[] parts = startLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      return -1;
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The first value of header {@code name} (any case), or null. */
  public String header(String name) {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return header.getValue();
      }
    }
    return null;
  }

  /** Every value of header {@code name} (any case), in order. */
  public List<String> headerValues(String name) {
    List<String> values = new ArrayList<>();
    String wanted = name.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().toLowerCase(Locale.ROOT).equals(wanted)) {
        values.add(header.getValue());
      }
    }
    return values;
  }
}
