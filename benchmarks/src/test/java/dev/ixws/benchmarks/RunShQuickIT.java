package dev.ixws.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quick end-to-end smoke, {@code benchmarks/run.sh quick}, as CI runs it (after {@code
 * package}, which builds the shaded jars it starts): every server, ours, the peers' and the C echo,
 * answers a tiny load from {@code ixws bench}, pinned with {@code taskset} as in the full run, and
 * ours answers the C load generator ({@code c-load}) with permessage-deflate negotiated and over
 * {@code wss://}. It keeps the whole comparison from rotting; no timing is asserted. A missing peer
 * (node {@code ws}, gcc, zlib, OpenSSL) fails it, naming the Debian package.
 */
@Timeout(value = 170, unit = TimeUnit.SECONDS)
class RunShQuickIT {

  private static final List<String> SERVERS =
      List.of(
          "ixws",
          "netty",
          "java-websocket",
          "jetty",
          "vertx",
          "node",
          "c",
          "ixws/c-load",
          "ixws/c-load/wss");

  @Test
  void everyServerAnswersTheQuickSmoke() throws Exception {
    Path root = Path.of("").toAbsolutePath().getParent();
    Path log = Files.createTempFile("run-sh-quick", ".log");
    try {
      Process run =
          new ProcessBuilder("bash", "benchmarks/run.sh", "quick")
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean ended = run.waitFor(150, TimeUnit.SECONDS);
      if (!ended) {
        run.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(ended, "run.sh quick did not end within 150 s:\n" + output);
      assertTrue(
          !output.contains("command not found") && !output.contains("Cannot find module"),
          "a peer is missing: run `sudo .ci/install-peers` (Debian packages gcc, libc6-dev,"
              + " zlib1g-dev, libssl-dev, openssl, nodejs and node-ws) or ./test\n"
              + output);
      assertEquals(0, run.exitValue(), "run.sh quick failed:\n" + output);
      for (String server : SERVERS) {
        assertTrue(
            output.lines().anyMatch(l -> l.matches(server + " +answered: [1-9][0-9]* messages")),
            server
                + " did not answer"
                + (server.equals("c")
                    ? " (run.sh builds the C echo server only where gcc is installed: run `sudo"
                        + " .ci/install-peers` (Debian packages gcc and libc6-dev) or ./test)"
                    : "")
                + ":\n"
                + output);
      }
      File smoke = root.resolve("benchmarks/target/bench-smoke.json").toFile();
      assertTrue(smoke.length() > 0, "no " + smoke);
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
