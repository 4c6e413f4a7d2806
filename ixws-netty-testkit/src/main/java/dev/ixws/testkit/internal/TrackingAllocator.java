package dev.ixws.testkit.internal;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * An allocator that remembers every buffer it hands out, so that a test can check, right after one
 * input, that each was released: a leak is then caught on the very input that caused it, without
 * waiting for the garbage collector as Netty's leak detector must (which still tracks these buffers
 * too). Set it on a channel with {@code channel.config().setAllocator(...)} before the channel is
 * registered. Not thread-safe: one event loop.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {

  private final List<ByteBuf> allocated = new ArrayList<>();

  /** An allocator that prefers heap buffers. */
  public TrackingAllocator() {
    super(false);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return remember(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return remember(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  private ByteBuf remember(ByteBuf buf) {
    allocated.add(buf);
    return buf;
  }

  /** How many buffers were handed out. */
  public int allocations() {
    return allocated.size();
  }

  /** The buffers handed out and not released, described; empty when all were released. */
  public List<String> unreleased() {
    List<String> leaks = new ArrayList<>();
    for (ByteBuf buf : allocated) {
      if (buf.refCnt() != 0) {
        leaks.add(buf + " refCnt=" + buf.refCnt());
      }
    }
    return leaks;
  }

  /** Fails the test when a buffer this allocator made was not released, listing them. */
  public void assertAllReleased() {
    List<String> leaks = unreleased();
    if (!leaks.isEmpty()) {
      throw new AssertionError("buffers not released: " + leaks);
    }
  }
}
