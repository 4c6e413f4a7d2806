package dev.ixws.benchmarks.jmh;

import dev.ixws.WebSocketMessage;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-message object cost a callback sees: a {@link WebSocketMessage} over a received payload
 * (the payload array itself is not counted; the decode benchmark includes its copy) and the payload
 * read back as a string or a buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 2, time = 1)
@Fork(1)
public class MessageDeliveryBenchmark {

  /** Payload size in bytes. */
  @Param({"64"})
  public int size;

  /** Whether the message is binary (ISO-8859-1 string) or text (UTF-8 string). */
  @Param({"false", "true"})
  public boolean binary;

  private byte[] payload;

  /** Builds the payload (ASCII, so valid as text too). */
  @Setup
  public void setUp() {
    payload = Payloads.ascii(size);
  }

  /** Message creation and {@code str()}, as a callback reading text does. */
  @Benchmark
  public String messageAndStr() {
    return WebSocketMessage.message(payload, binary, size + 6).str();
  }

  /** Message creation and {@code data()}, as an echo or relay callback does. */
  @Benchmark
  public ByteBuffer messageAndData() {
    return WebSocketMessage.message(payload, binary, size + 6).data();
  }
}
