package dev.ixws.http.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpErrorCode;
import dev.ixws.http.HttpRequest;
import dev.ixws.http.HttpResponse;
import io.netty.handler.codec.DateFormatter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The default callback's file server: files under one root directory, never outside it.
 *
 * <p>The decoded path is split on {@code /}; a segment that is {@code .} or {@code ..}, or that
 * holds a backslash, a NUL or a colon, is refused (404) before the file system is asked, and the
 * resolved file's real path (symbolic links followed) must still be under the root's real path. So
 * {@code ..}, {@code %2e%2e}, {@code %2f}, backslashes, absolute paths and links pointing out all
 * end in 404. A directory serves its {@code index.html} ({@code /} is {@code /index.html}, as in
 * IXWebSocket). The query string plays no part in the lookup.
 */
public final class StaticFiles {

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("htm", "text/html; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("md", "text/markdown; charset=utf-8"),
          Map.entry("csv", "text/csv; charset=utf-8"),
          Map.entry("xml", "application/xml"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("wasm", "application/wasm"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"));

  /** The most parts a multipart/byteranges answer has; more get the whole file (200). */
  static final int MAX_RANGES = 16;

  /** The most range specs read from one Range header; more and the header is ignored. */
  private static final int MAX_RANGE_SPECS = 100;

  private final Path root;

  /**
   * A file server for {@code root}.
   *
   * @throws IllegalArgumentException when {@code root} is not a readable directory
   */
  public StaticFiles(Path root) {
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("not a directory: " + root, e);
    }
    if (!Files.isDirectory(this.root)) {
      throw new IllegalArgumentException("not a directory: " + root);
    }
  }

  /** The root's real path. */
  public Path root() {
    return root;
  }

  /** The content type of a file name by its extension; {@code application/octet-stream} else. */
  public static String contentType(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String extension = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(extension, "application/octet-stream");
  }

  /** Answers {@code request}: the file, 304, 206, 404, 405 or 416. Blocking (file system). */
  public HttpResponse serve(HttpRequest request) {
    String method = request.method();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return new HttpResponse(
          405,
          "Method Not Allowed",
          HttpErrorCode.OK,
          WebSocketHttpHeaders.builder().set("Allow", "GET, HEAD").build(),
          "Method Not Allowed");
    }
    Path file = resolve(request.path());
    if (file == null) {
      return HttpResponse.notFound();
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return HttpResponse.notFound();
    }
    long size = attributes.size();
    long modifiedSecs = attributes.lastModifiedTime().toMillis() / 1000;
    String lastModified = DateFormatter.format(new Date(modifiedSecs * 1000));
    String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modifiedSecs) + "\"";
    WebSocketHttpHeaders.Builder headers =
        WebSocketHttpHeaders.builder()
            .set("Content-Type", contentType(file.getFileName().toString()))
            .set("Last-Modified", lastModified)
            .set("ETag", etag)
            .set("Accept-Ranges", "bytes");
    if (notModified(request, etag, modifiedSecs)) {
      return new HttpResponse(304, "Not Modified", HttpErrorCode.OK, headers.build(), "");
    }
    String range = request.headers().get("Range");
    if (range != null && ifRangeHolds(request.headers().get("If-Range"), etag, modifiedSecs)) {
      List<long[]> spans = parseRanges(range, size);
      if (spans == null) {
        return new HttpResponse(
            416,
            "Range Not Satisfiable",
            HttpErrorCode.OK,
            headers.set("Content-Range", "bytes */" + size).build(),
            "");
      }
      if (spans.size() == 1) {
        long[] span = spans.get(0);
        headers.set(
            "Content-Range", "bytes " + span[0] + "-" + (span[0] + span[1] - 1) + "/" + size);
        return HttpResponse.file(206, "Partial Content", headers.build(), file, span[0], span[1]);
      }
      if (spans.size() > 1 && spans.size() <= MAX_RANGES) {
        return byteRanges(file, size, spans, headers);
      }
      // More than MAX_RANGES pieces left after coalescing: the whole file (RFC 9110 14.2).
    }
    return HttpResponse.file(200, "OK", headers.build(), file, 0, size);
  }

  /**
   * RFC 9110 section 13.1.5: a Range applies only if the If-Range validator still matches: an
   * entity tag by strong comparison (a weak tag never matches), or a date equal to the file's
   * Last-Modified. Without If-Range the Range always applies; otherwise the whole file is sent.
   */
  static boolean ifRangeHolds(String ifRange, String etag, long modifiedSecs) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.trim();
    if (value.startsWith("W/")) {
      return false;
    }
    if (value.startsWith("\"")) {
      return value.equals(etag);
    }
    Date date = DateFormatter.parseHttpDate(value);
    return date != null && date.getTime() == modifiedSecs * 1000;
  }

  /**
   * A 206 {@code multipart/byteranges} response (RFC 9110 section 14.6): one part per range, each
   * with its {@code Content-Type} and {@code Content-Range}, read from the file as it is written.
   */
  private static HttpResponse byteRanges(
      Path file, long size, List<long[]> spans, WebSocketHttpHeaders.Builder headers) {
    String boundary = "ixws-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    String type = contentType(file.getFileName().toString());
    List<byte[]> heads = new ArrayList<>();
    long length = 0;
    for (long[] span : spans) {
      byte[] head =
          ("\r\n--"
                  + boundary
                  + "\r\nContent-Type: "
                  + type
                  + "\r\nContent-Range: bytes "
                  + span[0]
                  + "-"
                  + (span[0] + span[1] - 1)
                  + "/"
                  + size
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      heads.add(head);
      length += head.length + span[1];
    }
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    length += tail.length;
    headers.set("Content-Type", "multipart/byteranges; boundary=" + boundary);
    return HttpResponse.stream(
        206,
        "Partial Content",
        headers.build(),
        new RangesStream(file, spans, heads, tail),
        length);
  }

  /** The parts of a multipart/byteranges body; the file is opened at the first read. */
  private static final class RangesStream extends InputStream {
    private final Path file;
    private final List<long[]> spans;
    private final List<byte[]> heads;
    private final byte[] tail;
    private FileChannel channel;
    private int part; // index of the current part; spans.size() for the tail
    private boolean inHead = true;
    private int headAt;
    private long bodyAt;

    RangesStream(Path file, List<long[]> spans, List<byte[]> heads, byte[] tail) {
      this.file = file;
      this.spans = spans;
      this.heads = heads;
      this.tail = tail;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (true) {
        byte[] head = part < spans.size() ? heads.get(part) : tail;
        if (inHead) {
          if (headAt < head.length) {
            int n = Math.min(length, head.length - headAt);
            System.arraycopy(head, headAt, buffer, offset, n);
            headAt += n;
            return n;
          }
          if (part == spans.size()) {
            return -1;
          }
          inHead = false;
          bodyAt = 0;
        }
        long[] span = spans.get(part);
        if (bodyAt < span[1]) {
          if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.READ);
          }
          int want = (int) Math.min(length, span[1] - bodyAt);
          int n = channel.read(ByteBuffer.wrap(buffer, offset, want), span[0] + bodyAt);
          if (n < 0) {
            throw new IOException(file + " shrank while being sent");
          }
          bodyAt += n;
          return n;
        }
        part++;
        inHead = true;
        headAt = 0;
      }
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  private static boolean notModified(HttpRequest request, String etag, long modifiedSecs) {
    String ifNoneMatch = request.headers().get("If-None-Match");
    if (ifNoneMatch != null) {
      for (String tag : ifNoneMatch.split(",")) {
        String t = tag.trim();
        if (t.startsWith("W/")) {
          t = t.substring(2);
        }
        if (t.equals("*") || t.equals(etag)) {
          return true;
        }
      }
      return false;
    }
    String ifModifiedSince = request.headers().get("If-Modified-Since");
    if (ifModifiedSince != null) {
      Date since = DateFormatter.parseHttpDate(ifModifiedSince);
      return since != null && modifiedSecs * 1000 <= since.getTime();
    }
    return false;
  }

  /**
   * The byte ranges of {@code header} (RFC 9110 section 14.1.2) in a body of {@code size} bytes, as
   * {@code {offset, length}} pairs in ascending order, overlapping or adjacent ones coalesced (RFC
   * 9110 section 14.2 allows it; it also stops a request for many overlapping ranges from
   * multiplying the body). An empty list to ignore the header (not {@code bytes}, malformed); null
   * when no range is satisfiable (416). Unsatisfiable ranges among satisfiable ones are dropped.
   */
  static List<long[]> parseRanges(String header, long size) {
    String value = header.trim();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return List.of();
    }
    String[] specs = value.substring(6).split(",", -1);
    if (specs.length > MAX_RANGE_SPECS) {
      return List.of();
    }
    List<long[]> spans = new ArrayList<>();
    for (String raw : specs) {
      String spec = raw.trim();
      if (spec.isEmpty()) {
        continue; // RFC 9110 5.6.1: empty list elements are allowed and ignored
      }
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return List.of();
      }
      String first = spec.substring(0, dash).trim();
      String last = spec.substring(dash + 1).trim();
      try {
        if (first.isEmpty()) {
          long suffix = Long.parseLong(last);
          if (suffix < 0) {
            return List.of();
          }
          if (suffix > 0 && size > 0) {
            long length = Math.min(suffix, size);
            spans.add(new long[] {size - length, length});
          }
          continue;
        }
        long start = Long.parseLong(first);
        if (start < 0 || (!last.isEmpty() && Long.parseLong(last) < start)) {
          return List.of();
        }
        if (start < size) {
          long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
          spans.add(new long[] {start, end - start + 1});
        }
      } catch (NumberFormatException e) {
        return List.of();
      }
    }
    if (spans.isEmpty()) {
      return null;
    }
    spans.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> merged = new ArrayList<>();
    for (long[] span : spans) {
      long[] previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (previous != null && span[0] <= previous[0] + previous[1]) {
        previous[1] = Math.max(previous[0] + previous[1], span[0] + span[1]) - previous[0];
      } else {
        merged.add(new long[] {span[0], span[1]});
      }
    }
    return merged;
  }

  /** The regular file under the root that {@code path} names, or null. */
  Path resolve(String path) {
    if (!path.startsWith("/")) {
      return null;
    }
    Path candidate = root;
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.isEmpty()) {
        continue;
      }
      if (segment.equals(".")
          || segment.equals("..")
          || segment.indexOf('\\') >= 0
          || segment.indexOf('\0') >= 0
          || segment.indexOf(':') >= 0) {
        return null;
      }
      try {
        candidate = candidate.resolve(segment);
      } catch (InvalidPathException e) {
        return null;
      }
    }
    try {
      Path real = candidate.toRealPath();
      if (!real.startsWith(root)) {
        return null;
      }
      if (Files.isDirectory(real)) {
        real = real.resolve("index.html").toRealPath();
        if (!real.startsWith(root)) {
          return null;
        }
      }
      return Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) && Files.isReadable(real)
          ? real
          : null;
    } catch (IOException e) {
      return null;
    }
  }
}
