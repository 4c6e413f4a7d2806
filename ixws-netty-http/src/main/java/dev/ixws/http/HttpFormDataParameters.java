package dev.ixws.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The parts of a {@code multipart/form-data} body (RFC 7578) for {@link HttpClient#post(String,
 * HttpParameters, HttpFormDataParameters, HttpRequestArgs)}: IX's {@code HttpFormDataParameters},
 * whose entries are files. Keeps insertion order. Not thread-safe: fill it, then hand it over.
 *
 * <p>IX's {@code formData["file"] = content} is {@link #put(String, String)}: a file part whose
 * file name is the field name, as IX writes it. {@link #putFile} sets the file name and type.
 */
public final class HttpFormDataParameters {

  /** One file part. */
  public record Part(String name, String fileName, String contentType, byte[] content) {
    /** A part; {@code content} is copied. */
    public Part {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(fileName, "fileName");
      Objects.requireNonNull(contentType, "contentType");
      content = Objects.requireNonNull(content, "content").clone();
      for (String text : List.of(name, fileName, contentType)) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('"') >= 0) {
          throw new IllegalArgumentException("CR, LF or quote in a form-data part: " + text);
        }
      }
    }

    /** A copy of the content. */
    @Override
    public byte[] content() {
      return content.clone();
    }

    byte[] contentNoCopy() {
      return content;
    }
  }

  private final List<Part> parts = new ArrayList<>();

  /** No parts. */
  public HttpFormDataParameters() {}

  /**
   * Adds a file part named {@code name} with {@code content} (UTF-8), file name {@code name} and
   * type {@code application/octet-stream}, as IX does.
   *
   * @throws IllegalArgumentException when the name contains CR, LF or a quote
   */
  public HttpFormDataParameters put(String name, String content) {
    return putFile(
        name,
        name,
        "application/octet-stream",
        Objects.requireNonNull(content, "content").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Adds a file part.
   *
   * @throws IllegalArgumentException when a name or the type contains CR, LF or a quote
   */
  public HttpFormDataParameters putFile(
      String name, String fileName, String contentType, byte[] content) {
    parts.add(new Part(name, fileName, contentType, content));
    return this;
  }

  /** The parts, read-only, in insertion order. */
  public List<Part> parts() {
    return Collections.unmodifiableList(parts);
  }
}
