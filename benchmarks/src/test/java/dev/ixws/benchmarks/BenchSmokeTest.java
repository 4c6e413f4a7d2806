package dev.ixws.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.benchmarks.clients.LoadOptions;
import dev.ixws.benchmarks.clients.LoadResult;
import dev.ixws.benchmarks.clients.NettyClient;
import dev.ixws.benchmarks.servers.IxwsEchoServer;
import dev.ixws.benchmarks.servers.NettyEchoServer;
import dev.ixws.benchmarks.servers.RunningServer;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the end-to-end benchmarks from rotting: our echo server and the raw Netty baseline each
 * answer a tiny load (binary and text) from the Netty client driver. No timing is asserted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BenchSmokeTest {

  private static LoadResult load(int port, boolean binary) throws Exception {
    LoadOptions options =
        new LoadOptions(
            URI.create("ws://127.0.0.1:" + port + "/"),
            3,
            2,
            64,
            binary,
            0.5,
            0.2,
            false,
            null,
            true);
    try (NettyClient client = new NettyClient()) {
      return client.run(options);
    }
  }

  private static void assertAnswered(RunningServer server) throws Exception {
    try (server) {
      for (boolean binary : new boolean[] {true, false}) {
        LoadResult result = load(server.port(), binary);
        assertTrue(result.messages() > 0, "no echo came back: " + result.toJson());
        assertEquals(0, result.errors(), result.toJson());
        assertTrue(result.p50() > 0, "no latency recorded: " + result.toJson());
      }
    }
  }

  @Test
  void ourEchoServerAnswersTheLoadInBothModes() throws Exception {
    assertAnswered(IxwsEchoServer.start(0));
  }

  @Test
  void rawNettyBaselineAnswersTheLoadInBothModes() throws Exception {
    assertAnswered(NettyEchoServer.start(0));
  }
}
