package dev.ixws.testkit.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's leak detector reports a buffer that was never released.
 *
 * <p>Registered for every test JVM through JUnit's extension auto-detection (see {@code
 * META-INF/services}), so no test can forget it. Its static initializer installs a leak detector
 * factory before any Netty buffer class is loaded and forces the {@code paranoid} level, so every
 * buffer is tracked. After each test class it collects garbage, makes the detectors poll their
 * reference queues, and fails if any leak was reported.
 */
public final class LeakDetectionExtension implements AfterAllCallback {

  private static final List<String> LEAKS = new ArrayList<>();

  static {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
  }

  /** Creates the extension; JUnit calls this. */
  public LeakDetectionExtension() {}

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    List<String> leaks = collectLeaks();
    if (!leaks.isEmpty()) {
      throw new AssertionError(
          "Netty reported "
              + leaks.size()
              + " leaked buffer(s) in "
              + context.getDisplayName()
              + ":\n"
              + String.join("\n", leaks));
    }
  }

  /** Runs the garbage collector and returns (and forgets) every leak reported so far. */
  public static List<String> collectLeaks() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
      // Detectors poll their reference queue when a new resource is tracked.
      allocateAndRelease();
    }
    synchronized (LEAKS) {
      List<String> copy = new ArrayList<>(LEAKS);
      LEAKS.clear();
      return copy;
    }
  }

  private static void allocateAndRelease() {
    for (int i = 0; i < 4; i++) {
      ByteBuf pooledDirect = PooledByteBufAllocator.DEFAULT.directBuffer(16);
      pooledDirect.release();
      ByteBuf pooledHeap = PooledByteBufAllocator.DEFAULT.heapBuffer(16);
      pooledHeap.release();
      ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.buffer(16);
      unpooled.release();
    }
  }

  private static void record(String leak) {
    synchronized (LEAKS) {
      LEAKS.add(leak);
    }
  }

  private static final class RecordingFactory extends ResourceLeakDetectorFactory {
    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval) {
      return new RecordingDetector<>(resource, samplingInterval);
    }

    @Override
    @SuppressWarnings("deprecation") // abstract, so it must be implemented
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(
        Class<T> resource, int samplingInterval, long maxActive) {
      return new RecordingDetector<>(resource, samplingInterval);
    }
  }

  private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
    RecordingDetector(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval);
    }

    @Override
    protected boolean needReport() {
      return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      record("LEAK: " + resourceType + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      record("LEAK: " + resourceType + " (no records)");
      super.reportUntracedLeak(resourceType);
    }
  }
}
