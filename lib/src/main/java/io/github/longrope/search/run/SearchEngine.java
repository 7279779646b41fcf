package io.github.longrope.search.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Where a search's forwards run: {@code local} (decoders in this JVM, the default) or an engine
 * that another module provides through {@link EvaluatorFactory} (the {@code spark} module's {@code
 * spark}). A runtime knob like {@code --workers}: it changes where a candidate is evaluated, never
 * the search, so it is not part of a run's {@code config.json} and a resume may use another.
 *
 * <p>JSON form (the {@code engine} object of a pipeline config): {@code {"name": "spark", "master":
 * "spark://host:7077", "conf": {"spark.executor.memory": "8g"}}}.
 *
 * @param name {@code local} or an {@link EvaluatorFactory#name()}
 * @param master the engine's cluster address (Spark: {@code local[2]}, {@code spark://…}, {@code
 *     yarn}, {@code k8s://…}); null: the engine's default
 * @param conf engine settings ({@code --spark-conf k=v}), in the order given
 */
public record SearchEngine(String name, String master, Map<String, String> conf) {
  /** The engine name that needs no other module. */
  public static final String LOCAL_NAME = "local";

  /** Decoders in this JVM ({@code --workers}). */
  public static final SearchEngine LOCAL = new SearchEngine(LOCAL_NAME, null, Map.of());

  public SearchEngine {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("--engine must name an engine (local or spark)");
    }
    conf =
        conf == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(conf));
    if (LOCAL_NAME.equals(name) && (master != null || !conf.isEmpty())) {
      throw new IllegalArgumentException(
          "--master and --spark-conf need a distributed --engine (e.g. spark), not local");
    }
  }

  /** From the flags: {@code --engine NAME}, {@code --master URL}, {@code --spark-conf k=v}…. */
  public static SearchEngine of(String name, String master, List<String> conf) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : conf == null ? List.<String>of() : conf) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--spark-conf: expected KEY=VALUE, got '" + kv + "'");
      }
      m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
    }
    return new SearchEngine(name == null ? LOCAL_NAME : name, master, m);
  }

  public boolean isLocal() {
    return LOCAL_NAME.equals(name);
  }

  /** The JSON form (see the class comment). */
  public ObjectNode toJson() {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("name", name);
    if (master != null) {
      o.put("master", master);
    }
    ObjectNode c = o.putObject("conf");
    conf.forEach(c::put);
    return o;
  }

  /** Reads the JSON form; {@code source} names the file and key in errors. */
  public static SearchEngine fromJson(JsonNode o, String source) {
    if (o == null || o.isNull()) {
      return LOCAL;
    }
    if (!o.isObject()) {
      throw new IllegalArgumentException(source + ": 'engine' must be an object");
    }
    Map<String, String> conf = new LinkedHashMap<>();
    for (var e : o.properties()) {
      String k = e.getKey();
      if (!List.of("name", "master", "conf").contains(k)) {
        throw new IllegalArgumentException(
            source + ": unknown key 'engine." + k + "' (known: name, master, conf)");
      }
    }
    JsonNode c = o.path("conf");
    if (!c.isMissingNode() && !c.isObject()) {
      throw new IllegalArgumentException(source + ": 'engine.conf' must be an object of strings");
    }
    c.properties().forEach(e -> conf.put(e.getKey(), e.getValue().asText()));
    return new SearchEngine(
        o.path("name").asText(LOCAL_NAME),
        o.hasNonNull("master") ? o.get("master").asText() : null,
        conf);
  }

  /**
   * The module that provides this engine (found with {@link ServiceLoader}); checked before a
   * search reads anything, so that a missing module is the first error.
   *
   * @throws IllegalArgumentException when no module on the class path provides it
   */
  public EvaluatorFactory factory() {
    for (EvaluatorFactory f : ServiceLoader.load(EvaluatorFactory.class)) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "--engine "
            + name
            + ": no such engine on the class path"
            + (name.equals("spark")
                ? " (it needs the spark module: build it with `mvn -pl spark -am package"
                    + " -DskipTests`; ./longrope then adds it)"
                : "; known: local, spark"));
  }
}
