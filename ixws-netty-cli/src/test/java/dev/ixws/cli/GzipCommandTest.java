package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class GzipCommandTest {

  @TempDir Path dir;

  /** IX's djb2 over the bytes as (signed) chars, unsigned 64-bit, computed the plain way. */
  private static String djb2(byte[] bytes) {
    long hash = 5381;
    for (byte b : bytes) {
      hash = hash * 33 + b;
    }
    return Long.toUnsignedString(hash);
  }

  private static byte[] sample(int size) {
    byte[] bytes = new byte[size];
    Random random = new Random(17);
    for (int i = 0; i < size; i++) {
      // Half text-like, half random: compressible, with bytes above 0x7F (signed chars in djb2).
      bytes[i] = i % 2 == 0 ? (byte) ('a' + (i / 7) % 26) : (byte) random.nextInt(256);
    }
    return bytes;
  }

  @Test
  void gzipThenGunzipGivesTheFileBackWithIxsSizeAndChecksumLines() throws IOException {
    byte[] plain = sample(3 * 1024 * 1024 + 17);
    Path file = dir.resolve("data.bin");
    Files.write(file, plain);

    CommandRun gzip = CommandRun.runToEnd("gzip", "--run_count", "3", file.toString());
    assertEquals(Ixws.EXIT_OK, gzip.awaitExit(), gzip.err.text());
    Path gz = dir.resolve("data.bin.gz");
    byte[] compressed = Files.readAllBytes(gz);
    assertEquals(
        "gzip input: " + file + " size " + plain.length + " cksum " + djb2(plain), gzip.out.next());
    assertTrue(
        gzip.out.next().matches("median runtime to compress file: \\d+\\.\\d{3} ms \\(3 runs\\)"));
    assertEquals(
        "gzip output: " + gz + " size " + compressed.length + " cksum " + djb2(compressed),
        gzip.out.next());
    gzip.out.assertNoMoreLines();
    assertTrue(compressed.length < plain.length);

    Files.delete(file);
    CommandRun gunzip = CommandRun.runToEnd("gunzip", gz.toString());
    assertEquals(Ixws.EXIT_OK, gunzip.awaitExit(), gunzip.err.text());
    assertEquals(
        "gunzip input: " + gz + " size " + compressed.length + " cksum " + djb2(compressed),
        gunzip.out.next());
    assertEquals(
        "gunzip output: " + file + " size " + plain.length + " cksum " + djb2(plain),
        gunzip.out.next());
    assertArrayEquals(plain, Files.readAllBytes(file));
    assertNoTemporaryFiles();
  }

  @Test
  void theSystemGunzipReadsOurGzipAndWeReadTheSystemGzip() throws Exception {
    byte[] plain = sample(200_000);
    Path ours = dir.resolve("ours.bin");
    Files.write(ours, plain);
    runOk("gzip", ours.toString());
    Process test =
        new ProcessBuilder("gzip", "-t", dir.resolve("ours.bin.gz").toString())
            .redirectErrorStream(true)
            .start();
    assertTrue(test.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, test.exitValue(), new String(test.getInputStream().readAllBytes()));

    Path theirs = dir.resolve("theirs.bin");
    Files.write(theirs, plain);
    Process gzip = new ProcessBuilder("gzip", "-9", theirs.toString()).start();
    assertTrue(gzip.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, gzip.exitValue());
    CommandRun gunzip = CommandRun.runToEnd("gunzip", dir.resolve("theirs.bin.gz").toString());
    assertEquals(Ixws.EXIT_OK, gunzip.awaitExit(), gunzip.err.text());
    assertArrayEquals(plain, Files.readAllBytes(theirs));
    gunzip.out.skipRemaining();
  }

  @Test
  void dataThatIsNotGzipFailsWithOneLineAndLeavesNoFile() throws IOException {
    Path bogus = dir.resolve("bogus.txt.gz");
    Files.writeString(bogus, "this is not gzip data", StandardCharsets.US_ASCII);

    CommandRun run = CommandRun.runToEnd("gunzip", bogus.toString());

    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    assertEquals("Error: cannot decompress " + bogus + ": Not in GZIP format", run.err.next());
    run.err.assertNoMoreLines();
    run.out.assertNoMoreLines();
    assertFalse(Files.exists(dir.resolve("bogus.txt")));
    assertNoTemporaryFiles();
  }

  @Test
  void aTruncatedGzipFailsAndLeavesNoFile() throws IOException {
    Path file = dir.resolve("cut.bin");
    Files.write(file, sample(500_000));
    runOk("gzip", file.toString());
    Files.delete(file);
    Path gz = dir.resolve("cut.bin.gz");
    byte[] whole = Files.readAllBytes(gz);
    Files.write(gz, java.util.Arrays.copyOf(whole, whole.length / 2));

    CommandRun run = CommandRun.runToEnd("gunzip", gz.toString());

    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    assertTrue(run.err.next().startsWith("Error: cannot decompress " + gz + ": "));
    run.err.assertNoMoreLines();
    assertFalse(Files.exists(file));
    assertNoTemporaryFiles();
  }

  @Test
  void aGzipStoppedAsByCtrlCLeavesNoPartialFile() throws Exception {
    // Random bytes compress slowly: 128 MB take seconds, time to stop the process midway.
    Path file = dir.resolve("big.bin");
    Random random = new Random(5);
    byte[] chunk = new byte[1024 * 1024];
    try (java.io.OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < 128; i++) {
        random.nextBytes(chunk);
        out.write(chunk);
      }
    }
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process gzip =
        new ProcessBuilder(
                javaBin.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Ixws.class.getName(),
                "gzip",
                file.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("gzip.out").toFile())
            .start();
    try {
      Await.until(
          "the partial file to appear",
          Duration.ofSeconds(30),
          () -> {
            try (Stream<Path> files = Files.list(dir)) {
              return files.anyMatch(p -> p.toString().endsWith(".partial"));
            } catch (IOException e) {
              return false;
            }
          });
      // SIGTERM, which runs the shutdown hooks as SIGINT (Ctrl-C) does.
      gzip.destroy();
      assertTrue(gzip.waitFor(30, TimeUnit.SECONDS));
    } finally {
      gzip.destroyForcibly();
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of(),
          files.filter(p -> p.toString().endsWith(".partial")).toList(),
          "exit " + gzip.exitValue() + ", output: " + Files.readString(dir.resolve("gzip.out")));
    }
    assertFalse(Files.exists(dir.resolve("big.bin.gz")));
    Files.delete(file);
  }

  @Test
  void aMissingFileFailsWithOneLine() {
    Path missing = dir.resolve("missing.gz");
    for (String command : List.of("gzip", "gunzip")) {
      CommandRun run = CommandRun.runToEnd(command, missing.toString());
      assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
      assertEquals("Error: cannot read " + missing + ": no such file", run.err.next());
      run.err.assertNoMoreLines();
    }
  }

  @Test
  void anExistingOutputIsKeptUnlessForced() throws IOException {
    Path file = dir.resolve("keep.txt");
    Files.writeString(file, "new content");
    Path gz = dir.resolve("keep.txt.gz");
    Files.writeString(gz, "precious");

    CommandRun refused = CommandRun.runToEnd("gzip", file.toString());
    assertEquals(Ixws.EXIT_FAILURE, refused.awaitExit());
    assertEquals("Error: " + gz + " exists (-f replaces it)", refused.err.next());
    assertEquals("precious", Files.readString(gz));

    CommandRun forced = CommandRun.runToEnd("gzip", "-f", file.toString());
    assertEquals(Ixws.EXIT_OK, forced.awaitExit());
    forced.out.skipRemaining();
    Path out = dir.resolve("out.txt");
    CommandRun back = CommandRun.runToEnd("gunzip", "-o", out.toString(), gz.toString());
    assertEquals(Ixws.EXIT_OK, back.awaitExit());
    back.out.skipRemaining();
    assertEquals("new content", Files.readString(out));
  }

  @Test
  void gunzipWantsDotGzOrAnOutputName() throws IOException {
    Path file = dir.resolve("noext");
    Files.writeString(file, "x");
    CommandRun run = CommandRun.runToEnd("gunzip", file.toString());
    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertEquals(
        "Error: " + file + " does not end in .gz: name the output with -o", run.err.next());
    assertEquals("x", Files.readString(file));
  }

  /** Runs {@code ixws args...}, which must succeed; its output is not this test's subject. */
  private static void runOk(String... args) {
    CommandRun run = CommandRun.runToEnd(args);
    assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
    run.out.skipRemaining();
  }

  private void assertNoTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> partial = files.filter(p -> p.toString().endsWith(".partial")).toList();
      assertEquals(List.of(), partial);
    }
  }
}
