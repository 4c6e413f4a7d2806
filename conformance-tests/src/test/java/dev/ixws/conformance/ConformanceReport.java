package dev.ixws.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects every case result of the test JVM and writes {@code target/conformance/report.json} and
 * a readable {@code report.md} (a table per role and family). Both test classes write it when they
 * end, so the files hold whatever ran. Thread-safe.
 */
final class ConformanceReport {

  static final Path DIRECTORY = Path.of("target", "conformance");

  private static final Map<String, String> FAMILIES = new LinkedHashMap<>();

  static {
    FAMILIES.put("1", "Framing");
    FAMILIES.put("2", "Pings and pongs");
    FAMILIES.put("3", "Reserved bits");
    FAMILIES.put("4", "Reserved opcodes");
    FAMILIES.put("5", "Fragmentation");
    FAMILIES.put("6", "UTF-8 handling");
    FAMILIES.put("7", "Close handling");
    FAMILIES.put("9", "Limits and performance");
    FAMILIES.put("10", "Auto-fragmentation");
    FAMILIES.put("11", "Opening handshake (client role)");
    FAMILIES.put("12", "Per-message deflate");
    FAMILIES.put("13", "Per-message deflate parameters");
  }

  private static final List<CaseResult> RESULTS = new ArrayList<>();

  private ConformanceReport() {}

  static void add(CaseResult result) {
    synchronized (RESULTS) {
      RESULTS.removeIf(r -> r.role() == result.role() && r.id().equals(result.id()));
      RESULTS.add(result);
    }
  }

  /** Writes both files with every result so far. */
  static void write() {
    List<CaseResult> results;
    synchronized (RESULTS) {
      results = new ArrayList<>(RESULTS);
    }
    results.sort(
        Comparator.comparing(CaseResult::role)
            .thenComparing(CaseResult::id, ConformanceReport::compareIds));
    try {
      Files.createDirectories(DIRECTORY);
      Files.writeString(DIRECTORY.resolve("report.json"), json(results), StandardCharsets.UTF_8);
      Files.writeString(DIRECTORY.resolve("report.md"), markdown(results), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Orders "6.10.1" after "6.9.2": component by component, numerically. */
  static int compareIds(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length);
  }

  static Map<Verdict, Integer> counts(List<CaseResult> results, Role role) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (Verdict verdict : Verdict.values()) {
      counts.put(verdict, 0);
    }
    for (CaseResult r : results) {
      if (r.role() == role) {
        counts.merge(r.verdict(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static String json(List<CaseResult> results) {
    StringBuilder out = new StringBuilder("{\n  \"agent\": \"ixws-netty\",\n  \"summary\": {");
    for (Role role : Role.values()) {
      out.append(role == Role.SERVER ? "\n" : ",\n")
          .append("    \"")
          .append(role.label())
          .append("\": {");
      Map<Verdict, Integer> counts = counts(results, role);
      boolean first = true;
      for (Map.Entry<Verdict, Integer> e : counts.entrySet()) {
        out.append(first ? "" : ", ")
            .append(quote(e.getKey().label()))
            .append(": ")
            .append(e.getValue());
        first = false;
      }
      out.append("}");
    }
    out.append("\n  },\n  \"cases\": [");
    for (int i = 0; i < results.size(); i++) {
      CaseResult r = results.get(i);
      out.append(i == 0 ? "\n" : ",\n")
          .append("    {\"id\": ")
          .append(quote(r.id()))
          .append(", \"role\": ")
          .append(quote(r.role().label()))
          .append(", \"description\": ")
          .append(quote(r.description()))
          .append(", \"expectation\": ")
          .append(quote(r.expectation()))
          .append(", \"behavior\": ")
          .append(quote(r.verdict().label()))
          .append(", \"observed\": ")
          .append(quote(r.observed()))
          .append(", \"duration\": ")
          .append(r.durationMillis())
          .append("}");
    }
    return out.append("\n  ]\n}\n").toString();
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static String markdown(List<CaseResult> results) {
    StringBuilder out = new StringBuilder("# ixws-netty conformance report\n\n");
    out.append("Autobahn|Testsuite-style cases run by `mvn verify -pl conformance-tests -am`.")
        .append(" Verdicts: OK, NON-STRICT, INFORMATIONAL, UNIMPLEMENTED, FAILED.\n\n");
    out.append("| Role | Cases | OK | NON-STRICT | INFORMATIONAL | UNIMPLEMENTED | FAILED |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (Role role : Role.values()) {
      Map<Verdict, Integer> c = counts(results, role);
      int total = c.values().stream().mapToInt(Integer::intValue).sum();
      out.append("| ").append(role.label()).append(" | ").append(total);
      for (Verdict verdict : Verdict.values()) {
        out.append(" | ").append(c.get(verdict));
      }
      out.append(" |\n");
    }
    for (Role role : Role.values()) {
      out.append("\n## ")
          .append(
              role == Role.SERVER
                  ? "Server role (our WebSocketServer)"
                  : "Client role (our WebSocket, via `ixws autobahn`)")
          .append("\n");
      for (Map.Entry<String, String> family : FAMILIES.entrySet()) {
        List<CaseResult> rows =
            results.stream()
                .filter(r -> r.role() == role && r.family().equals(family.getKey()))
                .toList();
        if (rows.isEmpty()) {
          continue;
        }
        out.append("\n### ")
            .append(family.getKey())
            .append(" ")
            .append(family.getValue())
            .append("\n\n");
        out.append(
            "| Case | Description | Expected | Verdict | Observed | ms |\n|---|---|---|---|---|---|\n");
        for (CaseResult r : rows) {
          out.append("| ")
              .append(r.id())
              .append(" | ")
              .append(cell(r.description()))
              .append(" | ")
              .append(cell(r.expectation()))
              .append(" | ")
              .append(r.verdict().label())
              .append(" | ")
              .append(cell(r.observed()))
              .append(" | ")
              .append(r.durationMillis())
              .append(" |\n");
        }
      }
    }
    return out.toString();
  }

  private static String cell(String s) {
    String flat = s.replace("|", "\\|").replace("\n", " ");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }
}
