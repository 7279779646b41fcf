package io.github.longrope.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.io.SafetensorsFile.TensorInfo;
import io.github.longrope.model.WeightSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Hugging Face model directory, sharded or not, behind one name → tensor view.
 *
 * <ul>
 *   <li>{@code model.safetensors.index.json} present: its {@code weight_map} (tensor → shard file)
 *       decides which tensors exist and where; each shard is opened once. A shard that is missing,
 *       or lacks a tensor the map assigns to it, fails at {@link #open} naming the index file, so a
 *       partial download is caught before any weights load. Tensors a shard holds but the map does
 *       not list are ignored, as transformers ignores them.
 *   <li>otherwise {@code model.safetensors}.
 * </ul>
 *
 * <p>Only safetensors is read ({@code pytorch_model.bin} is a pickle; convert it first). Closing
 * the checkpoint closes every shard.
 */
public final class Checkpoint implements AutoCloseable, WeightSource {
  public static final String SINGLE_FILE = "model.safetensors";
  public static final String INDEX_FILE = "model.safetensors.index.json";

  private final Path dir;
  private final Map<String, SafetensorsFile> byTensor;
  private final List<SafetensorsFile> shards;

  private Checkpoint(
      Path dir, Map<String, SafetensorsFile> byTensor, List<SafetensorsFile> shards) {
    this.dir = dir;
    this.byTensor = byTensor;
    this.shards = shards;
  }

  /** Opens the weights of a model directory and validates every shard's header. */
  public static Checkpoint open(Path dir) {
    Path index = dir.resolve(INDEX_FILE);
    if (Files.isRegularFile(index)) {
      return openSharded(dir, index);
    }
    Path single = dir.resolve(SINGLE_FILE);
    if (Files.isRegularFile(single)) {
      SafetensorsFile file = SafetensorsFile.open(single);
      Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
      for (String name : file.names()) {
        byTensor.put(name, file);
      }
      return new Checkpoint(dir, Collections.unmodifiableMap(byTensor), List.of(file));
    }
    String hint =
        Files.exists(dir.resolve("pytorch_model.bin"))
            ? " (pytorch_model.bin is not supported: convert it to safetensors)"
            : Files.isDirectory(dir) ? "" : " (the directory does not exist)";
    throw new FormatException(dir.toString(), "", "no " + SINGLE_FILE + " or " + INDEX_FILE + hint);
  }

  private static Checkpoint openSharded(Path dir, Path index) {
    ObjectNode root = Json.readObject(index);
    JsonNode weightMap = root.get("weight_map");
    String source = index.toString();
    if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
      throw new FormatException(
          source,
          "key 'weight_map'",
          "must be a non-empty object of tensor → shard file, got " + Json.describe(weightMap));
    }
    Map<String, SafetensorsFile> openShards = new LinkedHashMap<>();
    Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
        String tensor = e.getKey();
        String where = "weight_map, tensor '" + tensor + "'";
        if (!e.getValue().isTextual()) {
          throw new FormatException(
              source, where, "shard must be a file name, got " + Json.describe(e.getValue()));
        }
        String shardName = e.getValue().textValue();
        SafetensorsFile shard = openShards.get(shardName);
        if (shard == null) {
          Path shardPath = dir.resolve(shardName);
          if (!Files.isRegularFile(shardPath)) {
            throw new FormatException(
                source, where, "shard " + shardName + " does not exist in " + dir);
          }
          shard = SafetensorsFile.open(shardPath);
          openShards.put(shardName, shard);
        }
        if (!shard.contains(tensor)) {
          throw new FormatException(
              source,
              where,
              "listed in shard "
                  + shardName
                  + " but that file does not contain it"
                  + SafetensorsFile.similar(tensor, shard.names()));
        }
        byTensor.put(tensor, shard);
      }
    } catch (RuntimeException e) {
      closeAll(openShards.values(), e);
      throw e;
    }
    return new Checkpoint(
        dir, Collections.unmodifiableMap(byTensor), List.copyOf(openShards.values()));
  }

  private static void closeAll(Iterable<SafetensorsFile> files, RuntimeException pending) {
    for (SafetensorsFile f : files) {
      try {
        f.close();
      } catch (RuntimeException suppressed) {
        if (pending == null) {
          pending = suppressed;
        } else {
          pending.addSuppressed(suppressed);
        }
      }
    }
    if (pending != null) {
      throw pending;
    }
  }

  public Path dir() {
    return dir;
  }

  /** Tensor names: the index's {@code weight_map} order, or the single file's header order. */
  @Override
  public List<String> names() {
    return List.copyOf(byTensor.keySet());
  }

  public boolean contains(String name) {
    return byTensor.containsKey(name);
  }

  public TensorInfo info(String name) {
    return shardOf(name).info(name);
  }

  /** A tensor as fp32 (see {@link SafetensorsFile#floats}). */
  @Override
  public float[] floats(String name) {
    return shardOf(name).floats(name);
  }

  /** An integer tensor as longs (see {@link SafetensorsFile#longs}). */
  public long[] longs(String name) {
    return shardOf(name).longs(name);
  }

  /** The file name (within {@link #dir}) holding a tensor. */
  @Override
  public long[] shape(String name) {
    return info(name).shape();
  }

  @Override
  public String describe(String name) {
    return fileOf(name);
  }

  public String fileOf(String name) {
    return shardOf(name).path().getFileName().toString();
  }

  private SafetensorsFile shardOf(String name) {
    SafetensorsFile shard = byTensor.get(name);
    if (shard == null) {
      throw new FormatException(
          dir.toString(),
          "tensor '" + name + "'",
          "not in this checkpoint ("
              + byTensor.size()
              + " tensors"
              + SafetensorsFile.similar(name, byTensor.keySet())
              + ")");
    }
    return shard;
  }

  @Override
  public void close() {
    closeAll(shards, null);
  }

  @Override
  public String toString() {
    return "Checkpoint["
        + dir
        + ", "
        + byTensor.size()
        + " tensors in "
        + shards.size()
        + " files]";
  }
}
