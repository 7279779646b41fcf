package io.github.longrope.search.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.Json;
import io.github.longrope.model.Placement;
import java.util.ArrayList;
import java.util.Collections;
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
 * <p>The local engine's decoders: {@code --workers K} loads K decoders on the default device (the
 * first GPU when present, else the CPU); {@code --devices cpu,gpu:1,…} loads one decoder per listed
 * device (a device listed twice gets two), so the list fixes the count and {@code --workers} may be
 * left out or must equal it. Either way the candidates are spread over the decoders by the same
 * {@link io.github.longrope.search.ParallelEvaluator}, so the search does not depend on them. A
 * distributed engine places its decoders itself (Spark: the GPU its scheduler assigns a task), so
 * {@code --devices} is refused there.
 *
 * <p>JSON form (the {@code engine} object of a report): {@code {"name": "spark", "master":
 * "spark://host:7077", "conf": {"spark.executor.memory": "8g"}}} or {@code {"name": "local",
 * "devices": ["gpu:0", "gpu:1"]}}.
 *
 * @param name {@code local} or an {@link EvaluatorFactory#name()}
 * @param master the engine's cluster address (Spark: {@code local[2]}, {@code spark://…}, {@code
 *     yarn}, {@code k8s://…}); null: the engine's default
 * @param conf engine settings ({@code --spark-conf k=v}), in the order given
 * @param devices the local engine's decoders, one per entry ({@code --devices}); empty: {@code
 *     --workers} decoders on the default device
 */
public record SearchEngine(
    String name, String master, Map<String, String> conf, List<Placement> devices) {
  /** The engine name that needs no other module. */
  public static final String LOCAL_NAME = "local";

  /** Decoders in this JVM ({@code --workers}). */
  public static final SearchEngine LOCAL = new SearchEngine(LOCAL_NAME, null, Map.of());

  /** An engine without a device list. */
  public SearchEngine(String name, String master, Map<String, String> conf) {
    this(name, master, conf, List.of());
  }

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
    devices = devices == null ? List.of() : List.copyOf(devices);
    if (!devices.isEmpty() && !LOCAL_NAME.equals(name)) {
      throw new IllegalArgumentException(
          "--devices places the local engine's decoders; --engine "
              + name
              + " places its own (Spark: one GPU per task through spark.task.resource.gpu.amount,"
              + " see docs/spark.md): leave --devices out");
    }
    if (devices.contains(Placement.AUTO)) {
      throw new IllegalArgumentException(
          "--devices: list concrete devices (cpu, gpu:N), not auto; leave --devices out for the"
              + " default device");
    }
  }

  /** From the flags: {@code --engine NAME}, {@code --master URL}, {@code --spark-conf k=v}…. */
  public static SearchEngine of(String name, String master, List<String> conf) {
    return of(name, master, conf, List.of());
  }

  /**
   * From the flags, with {@code --devices D,…} (each {@code cpu}, {@code gpu} or {@code gpu:N}).
   */
  public static SearchEngine of(
      String name, String master, List<String> conf, List<String> devices) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : conf == null ? List.<String>of() : conf) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--spark-conf: expected KEY=VALUE, got '" + kv + "'");
      }
      m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1));
    }
    return new SearchEngine(
        name == null ? LOCAL_NAME : name, master, m, parseDevices(devices, "--devices"));
  }

  /** Device names ({@code --devices} or the JSON {@code engine.devices}) parsed in one place. */
  private static List<Placement> parseDevices(List<String> names, String source) {
    List<Placement> out = new ArrayList<>();
    for (String d : names == null ? List.<String>of() : names) {
      try {
        out.add(Placement.parse(d));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  public boolean isLocal() {
    return LOCAL_NAME.equals(name);
  }

  /**
   * How many decoders the local engine loads: {@code workers} ({@code --workers}, null when not
   * given: 1), or one per listed device, in which case a given {@code workers} must equal the
   * list's length.
   *
   * @throws IllegalArgumentException when the two disagree or {@code workers} is below 1
   */
  public int decoders(Integer workers) {
    if (workers != null && workers < 1) {
      throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
    }
    if (devices.isEmpty()) {
      return workers == null ? 1 : workers;
    }
    if (workers != null && workers != devices.size()) {
      throw new IllegalArgumentException(
          "--workers "
              + workers
              + " and --devices "
              + deviceNames()
              + " disagree: --devices loads one decoder per listed device ("
              + devices.size()
              + "); leave --workers out, or list a device once per decoder (e.g. cpu,cpu)");
    }
    return devices.size();
  }

  /**
   * The concrete device of each of the local engine's {@code workers} decoders: the listed devices
   * resolved (a GPU this build or machine lacks is an error naming {@code --devices}), or {@code
   * workers} times the default device. Starts the native engine.
   */
  public List<Placement> placements(int workers) {
    int n = decoders(workers);
    if (devices.isEmpty()) {
      return Collections.nCopies(n, Placement.AUTO.resolve());
    }
    List<Placement> out = new ArrayList<>();
    for (Placement p : devices) {
      try {
        out.add(p.resolve());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--devices " + deviceNames() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private String deviceNames() {
    return String.join(",", devices.stream().map(Placement::name).toList());
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
    if (!devices.isEmpty()) {
      var names = o.putArray("devices");
      devices.forEach(p -> names.add(p.name()));
    }
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
      if (!List.of("name", "master", "conf", "devices").contains(k)) {
        throw new IllegalArgumentException(
            source + ": unknown key 'engine." + k + "' (known: name, master, conf, devices)");
      }
    }
    JsonNode c = o.path("conf");
    if (!c.isMissingNode() && !c.isObject()) {
      throw new IllegalArgumentException(source + ": 'engine.conf' must be an object of strings");
    }
    c.properties().forEach(e -> conf.put(e.getKey(), e.getValue().asText()));
    JsonNode d = o.path("devices");
    if (!d.isMissingNode() && !d.isArray()) {
      throw new IllegalArgumentException(
          source
              + ": 'engine.devices' must be an array of device names, e.g. [\"gpu:0\", \"gpu:1\"]");
    }
    List<String> devices = new ArrayList<>();
    d.forEach(x -> devices.add(x.asText()));
    return new SearchEngine(
        o.path("name").asText(LOCAL_NAME),
        o.hasNonNull("master") ? o.get("master").asText() : null,
        conf,
        parseDevices(devices, source + ": engine.devices"));
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
