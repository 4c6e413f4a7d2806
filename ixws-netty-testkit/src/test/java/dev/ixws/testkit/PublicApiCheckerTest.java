package dev.ixws.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Proves the checker finds leaks, so a clean result on the real API means something. */
class PublicApiCheckerTest {

  private final PublicApiChecker checker = new PublicApiChecker("io.netty.");

  /** Leaks in every position the checker must see. */
  public abstract static class Leaky implements Supplier<List<? extends ByteBuf>> {
    public ByteBuf field;

    public Leaky(ByteBuf parameter) {}

    public abstract ByteBuf returned();

    public abstract void parameter(List<ByteBuf[]> values);

    public abstract <T extends ByteBuf> void bound(T value);

    /** A nested public record leaks too. */
    public record Nested(ByteBuf component) {}
  }

  /** No leak: Netty only in private members. */
  public static final class Clean {
    private ByteBuf hidden;

    public Clean() {}

    public int size() {
      return hidden == null ? 0 : hidden.readableBytes();
    }

    private ByteBuf internal() {
      return hidden;
    }
  }

  @Test
  void checkerFindsNettyTypesInEveryPublicPosition() {
    List<String> leaks = checker.leaksIn(Leaky.class);
    String all = String.join("\n", leaks);
    assertTrue(all.contains("implements"), all);
    assertTrue(all.contains(".field"), all);
    assertTrue(all.contains(".<init> parameter"), all);
    assertTrue(all.contains("returned() returns"), all);
    assertTrue(all.contains("parameter() parameter"), all);
    assertTrue(all.contains("bound() type parameter"), all);
    assertTrue(all.contains("Nested.component"), all);
  }

  @Test
  void checkerIgnoresPrivateMembers() {
    assertEquals(List.of(), checker.leaksIn(Clean.class));
    Clean clean = new Clean();
    assertEquals(0, clean.size());
  }
}
