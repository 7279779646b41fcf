package io.github.longrope.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.longrope.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HF {@code config.json} (+ {@code generation_config.json}) → {@link ModelConfig} for the supported
 * {@code model_type}s. Family differences are data: {@code phi3} ⇒ fused tensors, {@code qwen2} ⇒
 * q/k/v biases and a window only with {@code use_sliding_window}, {@code mistral}/{@code phi3} ⇒
 * {@code sliding_window} when set. RoPE comes from {@link HfRopeConfig}.
 */
public final class HfModelConfig {
  static final Set<String> TYPES = Set.of("llama", "mistral", "phi3", "qwen2");

  private HfModelConfig() {}

  /** A parsed model config and what the user should be told about it. */
  public record Loaded(ModelConfig config, List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  /** Reads {@code dir/config.json} and, if present, {@code dir/generation_config.json}. */
  public static Loaded read(Path dir) {
    Path file = dir.resolve("config.json");
    if (!Files.isRegularFile(file)) {
      throw new FormatException(dir.toString(), "", "not a model directory: no config.json");
    }
    JsonNode config = Json.readObject(file);
    Path gen = dir.resolve("generation_config.json");
    JsonNode generation = Files.isRegularFile(gen) ? Json.readObject(gen) : null;
    Loaded loaded = parse(config, generation, file.toString());
    Integer bos = bosFromTokenizerFiles(dir);
    return bos == null
        ? loaded
        : new Loaded(loaded.config().withBosTokenId(bos), loaded.warnings());
  }

  /**
   * The BOS id as the tokenizer defines it, which is what the official perplexity protocol uses
   * ({@code add_start_token = tokenizer.bos_token is not None}): {@code tokenizer_config.json}'s
   * {@code bos_token} (a string or {@code {"content": ...}}) looked up in {@code tokenizer.json},
   * -1 for an explicit {@code null} (Qwen2 has a {@code bos_token_id} in config.json but no BOS in
   * its tokenizer), and {@code null} when the files or the key are absent (the config's ids stand).
   */
  static Integer bosFromTokenizerFiles(Path dir) {
    Path tc = dir.resolve("tokenizer_config.json");
    Path tj = dir.resolve("tokenizer.json");
    if (!Files.isRegularFile(tc)) {
      return null;
    }
    JsonNode config = Json.readObject(tc);
    if (!config.has("bos_token")) {
      return null;
    }
    JsonNode bos = config.get("bos_token");
    if (bos.isNull()) {
      return -1;
    }
    String content = bos.isTextual() ? bos.textValue() : bos.path("content").textValue();
    if (content == null || !Files.isRegularFile(tj)) {
      return null;
    }
    JsonNode tok = Json.readObject(tj);
    for (JsonNode added : tok.path("added_tokens")) {
      if (content.equals(added.path("content").textValue())) {
        return added.path("id").asInt(-1);
      }
    }
    JsonNode id = tok.path("model").path("vocab").get(content);
    return id != null && id.canConvertToInt() ? id.intValue() : null;
  }

  /** Parses a config object; {@code generation} may be null. */
  public static Loaded parse(JsonNode config, JsonNode generation, String source) {
    JsonFields f = new JsonFields(config, source, "");
    List<String> warnings = new ArrayList<>();
    String type = f.optionalString("model_type");
    if (type == null) {
      throw f.error("model_type", "required but missing");
    }
    type = type.toLowerCase(Locale.ROOT);
    if (!TYPES.contains(type)) {
      throw f.error(
          "model_type", "'" + type + "' is not supported; supported: llama, mistral, phi3, qwen2");
    }
    String act = f.has("hidden_act") ? f.optionalString("hidden_act") : "silu";
    if (!act.equals("silu") && !act.equals("swish")) {
      throw f.error("hidden_act", "'" + act + "' is not supported (the decoder uses SwiGLU/silu)");
    }
    if (f.optionalBoolean("attention_bias", false)) {
      throw f.error("attention_bias", "true is not supported (llama-style biases on q/k/v/o)");
    }
    if (f.optionalBoolean("mlp_bias", false)) {
      throw f.error("mlp_bias", "true is not supported");
    }
    int hidden = f.requiredInt("hidden_size");
    int heads = f.requiredInt("num_attention_heads");
    int headDim = f.has("head_dim") ? f.positiveInt("head_dim") : hidden / heads;
    HfRopeConfig.Loaded rope = HfRopeConfig.parse(config, source);
    warnings.addAll(rope.warnings());
    int window = 0;
    if (type.equals("qwen2") && f.optionalBoolean("use_sliding_window", false)) {
      throw f.error(
          "use_sliding_window",
          "true is not supported (Qwen2 windows only layers from max_window_layers on)");
    }
    if ((type.equals("mistral") || type.equals("phi3")) && f.has("sliding_window")) {
      window = f.positiveInt("sliding_window");
    }
    int maxPos = f.requiredInt("max_position_embeddings");
    JsonFields gen =
        generation == null ? null : new JsonFields(generation, source, "generation_config.");
    int bos = tokenId(gen, f, "bos_token_id");
    List<Integer> eos = tokenIds(gen, f, "eos_token_id");
    try {
      ModelConfig c =
          new ModelConfig(
              type,
              f.requiredInt("vocab_size"),
              hidden,
              f.requiredInt("intermediate_size"),
              f.requiredInt("num_hidden_layers"),
              heads,
              f.has("num_key_value_heads") ? f.positiveInt("num_key_value_heads") : heads,
              headDim,
              f.optionalDouble("rms_norm_eps", 1e-6),
              f.optionalBoolean("tie_word_embeddings", false),
              window,
              type.equals("qwen2"),
              type.equals("phi3"),
              maxPos,
              rope.originalLength() > 0 ? rope.originalLength() : maxPos,
              rope.geometry(),
              rope.scaling(),
              bos,
              eos);
      return new Loaded(c, warnings);
    } catch (FormatException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new FormatException(source, "", e.getMessage(), e);
    }
  }

  /**
   * The {@code config.json} object of a model config (HF keys, {@code rope_scaling} as both
   * transformers v4 and v5 read it; RoPE keys from {@link HfRopeConfig#forConfig}). {@link #parse}
   * reads it back to an equal config, except that a dynamic NTK model's {@code
   * max_position_embeddings} becomes its L (where transformers reads L for that variant).
   */
  public static ObjectNode toJson(ModelConfig c) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.putArray("architectures").add(ARCHITECTURES.get(c.modelType()));
    o.put("model_type", c.modelType());
    o.put("vocab_size", c.vocabSize());
    o.put("hidden_size", c.hiddenSize());
    o.put("intermediate_size", c.intermediateSize());
    o.put("num_hidden_layers", c.numLayers());
    o.put("num_attention_heads", c.numHeads());
    o.put("num_key_value_heads", c.numKvHeads());
    o.put("head_dim", c.headDim());
    o.put("hidden_act", "silu");
    o.put("rms_norm_eps", c.rmsNormEps());
    o.put("tie_word_embeddings", c.tieWordEmbeddings());
    HfRopeConfig.ConfigKeys rope =
        HfRopeConfig.forConfig(
            c.modelType(), c.ropeScaling(), c.maxPositionEmbeddings(), c.originalLength());
    o.put("max_position_embeddings", rope.maxPositionEmbeddings());
    o.put("rope_theta", c.rope().base());
    double partial = (double) c.rope().rotaryDim() / c.headDim();
    if (partial != 1.0) {
      o.put("partial_rotary_factor", partial);
    }
    if (rope.originalLength() > 0) {
      o.put(HfRopeConfig.ORIGINAL, rope.originalLength());
    }
    if (rope.ropeScaling() == null) {
      o.putNull("rope_scaling");
    } else {
      o.set("rope_scaling", rope.ropeScaling());
    }
    if (c.slidingWindow() > 0) {
      o.put("sliding_window", c.slidingWindow());
      if (c.modelType().equals("qwen2")) {
        o.put("use_sliding_window", true);
      }
    } else {
      o.putNull("sliding_window");
    }
    if (c.bosTokenId() >= 0) {
      o.put("bos_token_id", c.bosTokenId());
    }
    if (c.eosTokenIds().size() == 1) {
      o.put("eos_token_id", c.eosTokenIds().get(0));
    } else if (!c.eosTokenIds().isEmpty()) {
      c.eosTokenIds().forEach(o.putArray("eos_token_id")::add);
    }
    o.put("torch_dtype", "float32");
    return o;
  }

  static final java.util.Map<String, String> ARCHITECTURES =
      java.util.Map.of(
          "llama", "LlamaForCausalLM",
          "mistral", "MistralForCausalLM",
          "phi3", "Phi3ForCausalLM",
          "qwen2", "Qwen2ForCausalLM");

  private static int tokenId(JsonFields gen, JsonFields f, String key) {
    JsonFields src = gen != null && gen.has(key) ? gen : f;
    if (!src.has(key)) {
      return -1;
    }
    List<Integer> ids = ids(src, key);
    return ids.isEmpty() ? -1 : ids.get(0);
  }

  private static List<Integer> tokenIds(JsonFields gen, JsonFields f, String key) {
    JsonFields src = gen != null && gen.has(key) ? gen : f;
    return src.has(key) ? ids(src, key) : List.of();
  }

  private static List<Integer> ids(JsonFields src, String key) {
    JsonNode v = src.get(key);
    List<Integer> out = new ArrayList<>();
    if (v.isArray()) {
      for (JsonNode e : v) {
        if (!e.canConvertToInt() || e.intValue() < 0) {
          throw src.error(key, "must hold non-negative integer token ids, got " + v);
        }
        out.add(e.intValue());
      }
    } else if (v.canConvertToInt() && v.intValue() >= 0 && v.isIntegralNumber()) {
      out.add(v.intValue());
    } else {
      throw src.error(key, "must be a token id or a list of ids, got " + v);
    }
    return out;
  }
}
