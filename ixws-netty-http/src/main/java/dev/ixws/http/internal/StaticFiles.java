package dev.ixws.http.internal;

import dev.ixws.WebSocketHttpHeaders;
import dev.ixws.http.HttpErrorCode;
import dev.ixws.http.HttpRequest;
import dev.ixws.http.HttpResponse;
import io.netty.handler.codec.DateFormatter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Date;
import java.util.Locale;
import java.util.Map;

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
    if (range != null && request.headers().get("If-Range") == null) {
      long[] span = parseRange(range, size);
      if (span == null) {
        return new HttpResponse(
            416,
            "Range Not Satisfiable",
            HttpErrorCode.OK,
            headers.set("Content-Range", "bytes */" + size).build(),
            "");
      }
      if (span.length == 2) {
        headers.set(
            "Content-Range", "bytes " + span[0] + "-" + (span[0] + span[1] - 1) + "/" + size);
        return HttpResponse.file(206, "Partial Content", headers.build(), file, span[0], span[1]);
      }
    }
    return HttpResponse.file(200, "OK", headers.build(), file, 0, size);
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
   * The single byte range of {@code header} in a body of {@code size} bytes: {@code {offset,
   * length}}; an empty array to ignore the header (not bytes, several ranges, malformed); null when
   * unsatisfiable (416).
   */
  static long[] parseRange(String header, long size) {
    String value = header.trim();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return new long[0];
    }
    String spec = value.substring(6).trim();
    if (spec.contains(",")) {
      return new long[0];
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new long[0];
    }
    String first = spec.substring(0, dash).trim();
    String last = spec.substring(dash + 1).trim();
    try {
      if (first.isEmpty()) {
        long suffix = Long.parseLong(last);
        if (suffix <= 0 || size == 0) {
          return null;
        }
        long length = Math.min(suffix, size);
        return new long[] {size - length, length};
      }
      long start = Long.parseLong(first);
      long end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
      if (start < 0 || (!last.isEmpty() && Long.parseLong(last) < start)) {
        return new long[0];
      }
      if (start >= size) {
        return null;
      }
      return new long[] {start, end - start + 1};
    } catch (NumberFormatException e) {
      return new long[0];
    }
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
