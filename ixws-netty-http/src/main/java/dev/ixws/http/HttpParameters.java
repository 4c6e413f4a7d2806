package dev.ixws.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Form fields for {@link HttpClient#post(String, HttpParameters, HttpRequestArgs)}, sent as {@code
 * application/x-www-form-urlencoded}: IX's {@code HttpParameters} map ({@code httpParameters["foo"]
 * = "bar"} is {@code httpParameters.put("foo", "bar")}). Keeps insertion order. Not thread-safe:
 * fill it, then hand it over.
 */
public final class HttpParameters {

  private final LinkedHashMap<String, String> fields = new LinkedHashMap<>();

  /** No fields. */
  public HttpParameters() {}

  /** The fields of {@code map}, in its order. */
  public static HttpParameters of(Map<String, String> map) {
    HttpParameters parameters = new HttpParameters();
    map.forEach(parameters::put);
    return parameters;
  }

  /** Sets field {@code name} to {@code value}, replacing an earlier value. */
  public HttpParameters put(String name, String value) {
    fields.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** The value of field {@code name}, or null. */
  public String get(String name) {
    return fields.get(name);
  }

  /** A read-only view of the fields, in insertion order. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(fields);
  }

  @Override
  public String toString() {
    return fields.toString();
  }
}
