package dev.ixws.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Gzip of whole messages, for {@code connect -g}. */
final class Gzip {

  /** A message that inflates beyond this is refused rather than allowed to fill the heap. */
  static final int MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

  private Gzip() {}

  /**
   * The bytes {@code gzipped} inflates to.
   *
   * @throws IOException if it is not gzip data or inflates beyond {@link #MAX_DECOMPRESSED_BYTES}
   */
  static byte[] decompress(byte[] gzipped) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        if (out.size() + n > MAX_DECOMPRESSED_BYTES) {
          throw new IOException("inflates beyond " + MAX_DECOMPRESSED_BYTES + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** {@code plain} gzipped. */
  static byte[] compress(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(plain);
    } catch (IOException e) {
      throw new IllegalStateException("a byte array stream does not fail", e);
    }
    return out.toByteArray();
  }
}
