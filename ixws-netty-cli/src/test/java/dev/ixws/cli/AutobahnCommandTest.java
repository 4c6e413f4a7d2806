package dev.ixws.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ixws.testkit.HttpHead;
import dev.ixws.testkit.RawConnection;
import dev.ixws.testkit.RawHttpServer;
import dev.ixws.testkit.WsFrame;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AutobahnCommandTest {

  /**
   * A minimal fuzzing server: serves {@code connections} requests in order, answering getCaseCount
   * with {@code count}, playing {@code script} for each runCase, and closing updateReports at once.
   * Completes with the request targets and what each case received.
   */
  private static final class FakeFuzzingServer implements AutoCloseable {
    private final RawHttpServer server = new RawHttpServer();
    private final List<String> targets = new ArrayList<>();
    private final List<WsFrame> received = new ArrayList<>();
    private final CompletableFuture<Void> done;

    FakeFuzzingServer(int count, int connections, CaseScript script) throws IOException {
      done =
          CompletableFuture.runAsync(
              () -> {
                try {
                  for (int i = 0; i < connections; i++) {
                    try (RawConnection connection = server.accept(Duration.ofSeconds(10))) {
                      serve(connection, count, script);
                    }
                  }
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    }

    private void serve(RawConnection connection, int count, CaseScript script) throws IOException {
      HttpHead request = connection.readHead();
      String target = request.startLine().split(" ")[1];
      synchronized (targets) {
        targets.add(target);
      }
      connection.write(RawHttpServer.switchingProtocols(request.header("Sec-WebSocket-Key")));
      if (target.startsWith("/getCaseCount")) {
        connection.writeFrame(WsFrame.text(String.valueOf(count), false));
      } else if (target.startsWith("/runCase")) {
        WsFrame echoed = script.play(connection);
        if (echoed != null) {
          synchronized (targets) {
            received.add(echoed);
          }
        }
        return;
      }
      connection.writeFrame(WsFrame.close(1000, "", false));
      connection.readUntilClose();
    }

    int port() {
      return server.port();
    }

    List<String> targets() throws Exception {
      done.get(20, TimeUnit.SECONDS);
      synchronized (targets) {
        return List.copyOf(targets);
      }
    }

    List<WsFrame> received() {
      synchronized (targets) {
        return List.copyOf(received);
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** What the fake server does on one runCase connection; returns the frame the client sent. */
  @FunctionalInterface
  private interface CaseScript {
    WsFrame play(RawConnection connection) throws IOException;
  }

  /** Sends a binary message, reads the echo, then closes normally. */
  private static WsFrame binaryEcho(RawConnection connection) throws IOException {
    connection.writeFrame(WsFrame.binary(new byte[] {1, 2, (byte) 0xFF}, false));
    WsFrame echo = connection.readFrame();
    connection.writeFrame(WsFrame.close(1000, "", false));
    connection.readUntilClose();
    return echo;
  }

  @Test
  void runsEveryCaseInEchoModeThenUpdatesTheReports() throws Exception {
    try (FakeFuzzingServer server = new FakeFuzzingServer(2, 4, AutobahnCommandTest::binaryEcho)) {
      String url = "ws://127.0.0.1:" + server.port();
      CommandRun run = CommandRun.runToEnd("autobahn", "--url", url, "--agent", "my agent");

      assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
      assertEquals("Running 2 of 2 cases against " + url, run.out.next());
      assertEquals("case 1/2 done", run.out.next());
      assertEquals("case 2/2 done", run.out.next());
      assertEquals("Reports updated for agent my agent", run.out.next());
      assertEquals(
          List.of(
              "/getCaseCount",
              "/runCase?case=1&agent=my+agent",
              "/runCase?case=2&agent=my+agent",
              "/updateReports?agent=my+agent"),
          server.targets());
      for (WsFrame echo : server.received()) {
        assertTrue(echo.masked(), "a client masks its frames");
        assertEquals(WsFrame.OP_BINARY, echo.opcode());
        assertArrayEquals(new byte[] {1, 2, (byte) 0xFF}, echo.payload());
      }
      assertEquals(2, server.received().size());
    }
  }

  @Test
  void casesOptionRunsOnlyTheFirstCases() throws Exception {
    try (FakeFuzzingServer server = new FakeFuzzingServer(5, 3, AutobahnCommandTest::binaryEcho)) {
      CommandRun run =
          CommandRun.runToEnd(
              "autobahn", "--url", "ws://127.0.0.1:" + server.port() + "/", "--cases", "1");

      assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
      assertEquals(
          List.of(
              "/getCaseCount",
              "/runCase?case=1&agent=ixws-netty",
              "/updateReports?agent=ixws-netty"),
          server.targets());
      assertEquals("Running 1 of 5 cases against ws://127.0.0.1:" + server.port(), run.out.next());
      assertEquals("case 1/1 done", run.out.next());
      assertEquals("Reports updated for agent ixws-netty", run.out.next());
      run.out.assertNoMoreLines();
    }
  }

  @Test
  void caseThatDoesNotEndIsStoppedAfterTheCaseTimeout() throws Exception {
    // The case sends nothing and never closes; the command stops it and goes on.
    CaseScript silent = connection -> connection.readUntilClose();
    try (FakeFuzzingServer server = new FakeFuzzingServer(1, 3, silent)) {
      CommandRun run =
          CommandRun.runToEnd(
              "autobahn", "--url", "ws://127.0.0.1:" + server.port(), "--case-timeout", "1");

      assertEquals(Ixws.EXIT_OK, run.awaitExit(), run.err.text());
      run.out.nextStartingWith("case 1/1 timed out");
      run.out.nextStartingWith("Reports updated");
      assertEquals(1000, server.received().get(0).closeCode(), "stopped with a normal close");
    }
  }

  @Test
  void unreachableServerFails() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    CommandRun run = CommandRun.runToEnd("autobahn", "--url", "ws://127.0.0.1:" + port);

    assertEquals(Ixws.EXIT_FAILURE, run.awaitExit());
    assertTrue(run.err.next().startsWith("Error: cannot read the case count from"));
  }

  @Test
  void invalidUrlIsAUsageError() {
    CommandRun run = CommandRun.runToEnd("autobahn", "--url", "http://127.0.0.1:9001");

    assertEquals(Ixws.EXIT_USAGE, run.awaitExit());
    assertTrue(run.err.next().startsWith("Error: "));
  }
}
