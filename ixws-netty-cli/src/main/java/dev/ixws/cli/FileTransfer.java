package dev.ixws.cli;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * The file-transfer protocol of {@code send}, {@code receive} and the {@code transfer} relay. Text
 * messages are flat JSON objects with a {@code kind}; the file's bytes go as binary messages of
 * {@link #CHUNK_BYTES} in order between {@code file} and {@code end}:
 *
 * <ol>
 *   <li>sender: {@code {"kind":"file","id":ID,"name":NAME,"size":N}}
 *   <li>receiver: {@code {"kind":"ready","id":ID}}, or {@code {"kind":"error","id":ID,"message":M}}
 *   <li>sender: the chunks; receiver: {@code {"kind":"progress","id":ID,"bytes":B}} each time
 *       another {@link #PROGRESS_BYTES} are on disk
 *   <li>sender: {@code {"kind":"end","id":ID,"sha256":HEX}}
 *   <li>receiver: {@code {"kind":"done","id":ID,"sha256":HEX}}, or an error
 * </ol>
 *
 * The sender keeps at most {@link #WINDOW_BYTES} sent and not yet reported on disk, so neither the
 * relay nor the receiver ever holds more than that of the file.
 */
final class FileTransfer {

  /** The size of each binary chunk. */
  static final int CHUNK_BYTES = 64 * 1024;

  /** The receiver reports progress each time this many more bytes are written. */
  static final long PROGRESS_BYTES = 1024 * 1024;

  /** The most the sender has in flight beyond the receiver's last progress report. */
  static final long WINDOW_BYTES = 8 * 1024 * 1024;

  /** The longest file name accepted (Linux's NAME_MAX). */
  static final int MAX_NAME_LENGTH = 255;

  private FileTransfer() {}

  static String file(String id, String name, long size) {
    JsonObject json = kind("file", id);
    json.field("name", name);
    json.field("size", size);
    return json.toString();
  }

  static String ready(String id) {
    return kind("ready", id).toString();
  }

  static String progress(String id, long bytes) {
    JsonObject json = kind("progress", id);
    json.field("bytes", bytes);
    return json.toString();
  }

  static String end(String id, byte[] sha256) {
    JsonObject json = kind("end", id);
    json.field("sha256", hex(sha256));
    return json.toString();
  }

  static String done(String id, String sha256Hex) {
    JsonObject json = kind("done", id);
    json.field("sha256", sha256Hex);
    return json.toString();
  }

  static String error(String id, String message) {
    JsonObject json = kind("error", id);
    json.field("message", message);
    return json.toString();
  }

  private static JsonObject kind(String kind, String id) {
    JsonObject json = new JsonObject();
    json.field("kind", kind);
    json.field("id", id);
    return json;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A control message: its kind, id and fields; empty if the text is not one. */
  static Optional<Map<String, Object>> parse(String text) {
    Map<String, Object> fields = FlatJson.parse(text);
    if (fields == null
        || !(fields.get("kind") instanceof String)
        || !(fields.get("id") instanceof String)) {
      return Optional.empty();
    }
    return Optional.of(fields);
  }

  /**
   * Why {@code name} may not be written into {@code dir}, or empty when it may: it must be a plain
   * file name (no directory part, not {@code .} or {@code ..}, no control characters, at most
   * {@value #MAX_NAME_LENGTH} characters) that stays inside {@code dir}.
   */
  static Optional<String> refusal(String name, Path dir) {
    if (name.isEmpty()) {
      return Optional.of("empty file name");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return Optional.of("file name longer than " + MAX_NAME_LENGTH + " characters");
    }
    if (name.equals(".") || name.equals("..")) {
      return Optional.of("'" + name + "' is not a file name");
    }
    if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
      return Optional.of("a file name may not name a directory");
    }
    if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
      return Optional.of("control character in the file name");
    }
    Path base = dir.toAbsolutePath().normalize();
    Path target = base.resolve(name).normalize();
    if (!base.equals(target.getParent())) {
      return Optional.of("the file name leaves the output directory");
    }
    return Optional.empty();
  }
}
