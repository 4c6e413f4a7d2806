package dev.ixws;

import dev.ixws.internal.handshake.ReceivedHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * HTTP headers with case-insensitive names that keep their insertion order and the spelling of the
 * first insertion: IXWebSocket's {@code WebSocketHttpHeaders} map, immutable.
 *
 * <p>One value per name, as in IXWebSocket: a header that appears several times in a received
 * message has its values joined with {@code ", "} (RFC 9110 section 5.3). Build one with {@link
 * #builder()} or {@link #of(Map)}. Instances are immutable and thread-safe.
 */
public final class WebSocketHttpHeaders {

  /** No headers. */
  public static final WebSocketHttpHeaders EMPTY = new WebSocketHttpHeaders(new LinkedHashMap<>());

  static {
    ReceivedHeaders.register(WebSocketHttpHeaders::new);
  }

  // Lower-cased name -> (name as first inserted, value). Null until first use for headers read off
  // the wire, which most applications never look at: they are built from received then.
  private volatile LinkedHashMap<String, Map.Entry<String, String>> entries;
  private final Iterable<? extends Map.Entry<String, String>> received;

  private WebSocketHttpHeaders(LinkedHashMap<String, Map.Entry<String, String>> entries) {
    this.entries = entries;
    this.received = null;
  }

  private WebSocketHttpHeaders(Iterable<? extends Map.Entry<String, String>> received) {
    this.received = received;
  }

  private Map<String, Map.Entry<String, String>> entries() {
    LinkedHashMap<String, Map.Entry<String, String>> built = entries;
    if (built == null) {
      // Two threads may both build: the results are equal, and either may be kept.
      built = new LinkedHashMap<>();
      for (Map.Entry<String, String> header : received) {
        String name = header.getKey();
        String value = header.getValue();
        built.merge(
            key(name),
            Map.entry(name, value),
            (old, added) -> Map.entry(old.getKey(), old.getValue() + ", " + added.getValue()));
      }
      entries = built;
    }
    return built;
  }

  /** A new empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The headers of {@code map}, in its iteration order. */
  public static WebSocketHttpHeaders of(Map<String, String> map) {
    Builder builder = builder();
    map.forEach(builder::set);
    return builder.build();
  }

  /** The value of header {@code name} (any case), or {@code null} when absent. */
  public String get(String name) {
    Map.Entry<String, String> entry = entries().get(key(name));
    return entry == null ? null : entry.getValue();
  }

  /** The value of header {@code name} (any case), or {@code defaultValue} when absent. */
  public String getOrDefault(String name, String defaultValue) {
    String value = get(name);
    return value == null ? defaultValue : value;
  }

  /** Whether header {@code name} (any case) is present. */
  public boolean contains(String name) {
    return entries().containsKey(key(name));
  }

  /** How many distinct header names there are. */
  public int size() {
    return entries().size();
  }

  /** Whether there are no headers. */
  public boolean isEmpty() {
    return entries().isEmpty();
  }

  /** Calls {@code action} with each name and value, in insertion order. */
  public void forEach(BiConsumer<String, String> action) {
    for (Map.Entry<String, String> entry : entries().values()) {
      action.accept(entry.getKey(), entry.getValue());
    }
  }

  /** A read-only copy as a map from name (as first inserted) to value, in insertion order. */
  public Map<String, String> asMap() {
    LinkedHashMap<String, String> map = new LinkedHashMap<>();
    forEach(map::put);
    return Collections.unmodifiableMap(map);
  }

  /** A builder that starts with these headers. */
  public Builder toBuilder() {
    Builder builder = builder();
    forEach(builder::set);
    return builder;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WebSocketHttpHeaders that && asMap().equals(that.asMap());
  }

  @Override
  public int hashCode() {
    return asMap().hashCode();
  }

  @Override
  public String toString() {
    return asMap().toString();
  }

  private static String key(String name) {
    return Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT);
  }

  /** Collects headers for {@link WebSocketHttpHeaders}. Not thread-safe. */
  public static final class Builder {
    private LinkedHashMap<String, Map.Entry<String, String>> entries = new LinkedHashMap<>();
    // Whether build() handed entries to a WebSocketHttpHeaders: the next change copies them first.
    private boolean shared;

    private Builder() {}

    /**
     * Sets header {@code name} to {@code value}, replacing any value it had (IX's {@code
     * headers[name] = value}); the position and spelling of the first insertion are kept.
     *
     * @throws IllegalArgumentException when the name is empty or either contains CR or LF
     */
    public Builder set(String name, String value) {
      String key = checkedKey(name, value);
      Map.Entry<String, String> old = entries.get(key);
      writable().put(key, Map.entry(old == null ? name : old.getKey(), value));
      return this;
    }

    /**
     * Appends {@code value} to header {@code name}, joined with {@code ", "} if already set.
     *
     * @throws IllegalArgumentException when the name is empty or either contains CR or LF
     */
    public Builder add(String name, String value) {
      String key = checkedKey(name, value);
      Map.Entry<String, String> old = entries.get(key);
      writable()
          .put(
              key,
              old == null
                  ? Map.entry(name, value)
                  : Map.entry(old.getKey(), old.getValue() + ", " + value));
      return this;
    }

    /** Removes header {@code name} (any case). */
    public Builder remove(String name) {
      writable().remove(key(name));
      return this;
    }

    /** The headers collected so far; the builder may be reused. */
    public WebSocketHttpHeaders build() {
      if (entries.isEmpty()) {
        return EMPTY;
      }
      shared = true;
      return new WebSocketHttpHeaders(entries);
    }

    private LinkedHashMap<String, Map.Entry<String, String>> writable() {
      if (shared) {
        entries = new LinkedHashMap<>(entries);
        shared = false;
      }
      return entries;
    }

    /** The lookup key of {@code name}, once name and value are known to be valid. */
    private static String checkedKey(String name, String value) {
      checkToken(name, "name");
      checkToken(value, "value");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("header name is empty");
      }
      return key(name);
    }

    private static void checkToken(String text, String what) {
      Objects.requireNonNull(text, what);
      if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header " + what + " contains CR or LF: " + text);
      }
    }
  }
}
