package dev.ixws.http.internal;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * The streaming body of a server response: a region of a file or an {@link InputStream}, read as it
 * is written so that a large body is never held in memory. A response built from bytes has none.
 *
 * @param file the file to send, or null
 * @param offset where in the file the body starts
 * @param stream the stream to send, or null
 * @param length the body's length in bytes, or -1 when unknown (a stream sent chunked)
 */
public record ResponseBody(Path file, long offset, InputStream stream, long length) {

  private static volatile Function<Object, ResponseBody> accessor;

  /** Checks that exactly one of file and stream is set. */
  public ResponseBody {
    if ((file == null) == (stream == null)) {
      throw new IllegalArgumentException("exactly one of file and stream");
    }
    if (file != null && (offset < 0 || length < 0)) {
      throw new IllegalArgumentException("file region out of range");
    }
  }

  /** A region of {@code file}. */
  public static ResponseBody ofFile(Path file, long offset, long length) {
    return new ResponseBody(Objects.requireNonNull(file, "file"), offset, null, length);
  }

  /** The bytes of {@code stream}, {@code length} of them or -1 when unknown. */
  public static ResponseBody ofStream(InputStream stream, long length) {
    return new ResponseBody(null, 0, Objects.requireNonNull(stream, "stream"), length);
  }

  /** Called once by {@code HttpResponse}: how the server reads a response's streaming body. */
  public static void register(Function<Object, ResponseBody> access) {
    accessor = access;
  }

  /** The streaming body of {@code response} (an {@code HttpResponse}), or null. */
  public static ResponseBody of(Object response) {
    Function<Object, ResponseBody> access = accessor;
    if (access == null) {
      // HttpResponse's static initializer registers it; make sure it ran.
      try {
        Class.forName("dev.ixws.http.HttpResponse", true, ResponseBody.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      access = accessor;
    }
    return access.apply(response);
  }
}
