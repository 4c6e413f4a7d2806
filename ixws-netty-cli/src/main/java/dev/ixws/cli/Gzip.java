package dev.ixws.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Gzip of whole messages, for {@code connect -g}, and streaming gzip of files, for {@code gzip} and
 * {@code gunzip}.
 */
final class Gzip {

  /** The size of the buffers the file commands stream through. */
  static final int BUFFER_BYTES = 64 * 1024;

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

  /**
   * The size and djb2 checksum of a stream of bytes, as IX's {@code ws gzip} prints them ({@code
   * hash * 33 + c} over the bytes as signed chars, 64 bits). Not thread-safe.
   */
  static final class Digest {
    private long size;
    private long hash = 5381;

    void update(byte[] bytes, int offset, int length) {
      long h = hash;
      for (int i = offset; i < offset + length; i++) {
        h = (h << 5) + h + bytes[i];
      }
      hash = h;
      size += length;
    }

    long size() {
      return size;
    }

    /** The checksum, unsigned, in decimal as IX prints it. */
    String cksum() {
      return Long.toUnsignedString(hash);
    }
  }

  /** Streams {@code from} to {@code to}, feeding each chunk to {@code digest}. */
  static void copy(InputStream from, OutputStream to, Digest digest) throws IOException {
    byte[] buffer = new byte[BUFFER_BYTES];
    int n;
    while ((n = from.read(buffer)) >= 0) {
      if (n > 0) {
        digest.update(buffer, 0, n);
        to.write(buffer, 0, n);
      }
    }
  }

  /**
   * Compresses ({@code compress}) or decompresses file {@code in} into {@code out} in chunks, never
   * holding it whole: written to a temporary file beside {@code out} and moved onto it only once
   * complete, so a failure (bad data, full disk, interrupt) leaves no partial {@code out}. {@code
   * inDigest} and {@code outDigest} see the input and the output bytes.
   *
   * @throws IOException on a read or write failure or data that is not gzip; the temporary file is
   *     removed
   */
  static void streamFile(
      Path in, Path out, boolean compress, boolean replace, Digest inDigest, Digest outDigest)
      throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Path temp =
        dir.resolve(
            "."
                + out.getFileName()
                + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong())
                + ".partial");
    // Ctrl-C ends the JVM without running the finally below: a hook removes the partial file.
    // The hook and the file's creation take one lock, so that no file is made after the hook ran.
    Object creation = new Object();
    boolean[] abandoned = {false};
    ShutdownHook hook =
        ShutdownHook.install(
            () -> {
              synchronized (creation) {
                abandoned[0] = true;
                try {
                  Files.deleteIfExists(temp);
                } catch (IOException e) {
                  // Shutting down: nothing more can be done.
                }
              }
            });
    OutputStream created;
    synchronized (creation) {
      if (abandoned[0]) {
        throw new IOException("the tool is shutting down");
      }
      try {
        created =
            Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (IOException | RuntimeException e) {
        hook.remove();
        throw e;
      }
    }
    boolean done = false;
    try {
      try (InputStream file = Files.newInputStream(in);
          OutputStream target = new DigestingStream(created, outDigest)) {
        if (compress) {
          try (GZIPOutputStream gzip = new GZIPOutputStream(target, BUFFER_BYTES)) {
            copy(file, gzip, inDigest);
          }
        } else {
          DigestingInput counted = new DigestingInput(file, inDigest);
          try (GZIPInputStream gunzip = new GZIPInputStream(counted, BUFFER_BYTES)) {
            copy(gunzip, target, new Digest());
          }
        }
      }
      if (replace) {
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        // Fails (FileAlreadyExistsException) rather than replace a file that appeared meanwhile.
        Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
      }
      done = true;
    } finally {
      hook.remove();
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** Passes writes through, feeding them to a digest. */
  private static final class DigestingStream extends FilterOutputStream {
    private final Digest digest;

    DigestingStream(OutputStream out, Digest digest) {
      super(out);
      this.digest = digest;
    }

    @Override
    public void write(int b) throws IOException {
      digest.update(new byte[] {(byte) b}, 0, 1);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      digest.update(b, off, len);
      out.write(b, off, len);
    }
  }

  /** Passes reads through, feeding them to a digest. */
  private static final class DigestingInput extends java.io.FilterInputStream {
    private final Digest digest;

    DigestingInput(InputStream in, Digest digest) {
      super(in);
      this.digest = digest;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        digest.update(new byte[] {(byte) b}, 0, 1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      // GZIPInputStream skips header fields by reading; a real skip would bypass the digest.
      byte[] sink = new byte[(int) Math.min(n, BUFFER_BYTES)];
      int read = read(sink, 0, sink.length);
      return Math.max(read, 0);
    }
  }
}
