package io.github.longrope.model;

import java.util.List;

/**
 * Where named weight tensors come from (a safetensors checkpoint, or memory in tests). Names and
 * shapes follow Hugging Face ({@code model.layers.0.self_attn.q_proj.weight}, shape {@code [out,
 * in]}); values arrive as fp32 whatever the stored dtype.
 */
public interface WeightSource {
  List<String> names();

  long[] shape(String name);

  float[] floats(String name);

  /** Where a tensor lives, for error messages (a file name). */
  String describe(String name);
}
