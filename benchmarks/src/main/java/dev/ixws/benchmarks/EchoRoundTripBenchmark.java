package dev.ixws.benchmarks;

import dev.ixws.WebSocketMessage;
import dev.ixws.WebSocketMessageType;
import dev.ixws.client.WebSocket;
import dev.ixws.server.WebSocketServer;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of one 64-byte binary echo over loopback, our client against our server (scenario 2 of
 * the benchmarks issue, without peers yet). Run: {@code java -jar benchmarks/target/benchmarks.jar
 * EchoRoundTrip}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EchoRoundTripBenchmark {

  private final byte[] payload = new byte[64];
  private final SynchronousQueue<WebSocketMessage> replies = new SynchronousQueue<>();
  private WebSocketServer server;
  private WebSocket client;

  /** Starts an echo server and connects a client. */
  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    server = new WebSocketServer(0);
    server.setOnConnectionCallback(
        (webSocket, state) ->
            webSocket.setOnMessageCallback(
                msg -> {
                  if (msg.type() == WebSocketMessageType.MESSAGE) {
                    webSocket.sendBinary(msg.data());
                  }
                }));
    if (!server.listen().ok()) {
      throw new IllegalStateException("cannot listen");
    }
    server.start();
    client = new WebSocket();
    client.setUrl("ws://127.0.0.1:" + server.getPort() + "/");
    client.setOnMessageCallback(
        msg -> {
          if (msg.type() == WebSocketMessageType.MESSAGE) {
            try {
              replies.put(msg);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    if (!client.connect(10).success()) {
      throw new IllegalStateException("cannot connect");
    }
  }

  /** Stops both ends. */
  @TearDown(Level.Trial)
  public void tearDown() {
    client.stop();
    server.stop();
  }

  /** One round trip. */
  @Benchmark
  public WebSocketMessage echo64Bytes() throws InterruptedException {
    client.sendBinary(payload);
    return replies.take();
  }
}
