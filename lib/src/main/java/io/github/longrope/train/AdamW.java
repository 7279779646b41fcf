package io.github.longrope.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import io.github.longrope.io.SafetensorsFile;
import io.github.longrope.io.SafetensorsWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW with decoupled weight decay (Loshchilov & Hutter), written on NDArrays so that its state
 * (first and second moments, step count) can be checkpointed and restored exactly; DJL's built-in
 * optimizers keep their state private. Weight decay applies to matrices only, not to norm gains or
 * biases. Gradients are clipped to a global L2 norm first.
 */
final class AdamW implements AutoCloseable {
  private static final NDIndex ALL = new NDIndex("...");
  private final TrainConfig.OptimizerSpec spec;
  private final NDManager manager = NDManager.newBaseManager();
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long step;

  AdamW(TrainConfig.OptimizerSpec spec, Map<String, NDArray> params) {
    this.spec = spec;
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      m.put(e.getKey(), manager.zeros(e.getValue().getShape()));
      v.put(e.getKey(), manager.zeros(e.getValue().getShape()));
    }
  }

  long step() {
    return step;
  }

  /**
   * One update from the accumulated gradients, which are then zeroed. Returns the gradient norm
   * before clipping; a non-finite norm skips the update (the gradients are dropped, the step count
   * is unchanged) and is returned as is, for the log.
   */
  double update(Map<String, NDArray> params, double lr) {
    step++;
    double norm = 0;
    for (NDArray p : params.values()) {
      // the squares live in the parameter's manager: without this scope they stay until the
      // model closes, a whole model's worth of memory per step
      try (NDScope scope = new NDScope();
          NDArray g = p.getGradient()) {
        scope.suppressNotUsedWarning();
        norm += g.square().sum().getFloat();
      }
    }
    norm = Math.sqrt(norm);
    if (!Double.isFinite(norm)) {
      // a non-finite gradient would poison the moments for good: drop this step's gradients
      for (NDArray p : params.values()) {
        try (NDArray g = p.getGradient()) {
          g.set(ALL, 0f);
        }
      }
      step--;
      return norm;
    }
    float clipScale = spec.clip() > 0 && norm > spec.clip() ? (float) (spec.clip() / norm) : 1f;
    float b1 = spec.beta1().floatValue();
    float b2 = spec.beta2().floatValue();
    float c1 = (float) (1 - Math.pow(spec.beta1(), step));
    float c2 = (float) (1 - Math.pow(spec.beta2(), step));
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      NDArray p = e.getValue();
      NDArray mo = m.get(e.getKey());
      NDArray ve = v.get(e.getKey());
      try (NDScope scope = new NDScope();
          NDArray g = p.getGradient()) {
        scope.suppressNotUsedWarning();
        NDArray gc = g.mul(clipScale);
        mo.muli(b1).addi(gc.mul(1 - b1));
        ve.muli(b2).addi(gc.square().mul(1 - b2));
        NDArray update = mo.div(c1).div(ve.div(c2).sqrt().add(spec.eps().floatValue()));
        if (p.getShape().dimension() >= 2 && spec.weightDecay() > 0) {
          update = update.add(p.mul(spec.weightDecay().floatValue()));
        }
        p.subi(update.mul((float) lr));
        g.set(ALL, 0f);
      }
    }
    return norm;
  }

  /** Saves moments and step to a safetensors file. */
  void save(Path file) {
    Map<String, SafetensorsWriter.Tensor> t = new LinkedHashMap<>();
    for (String name : m.keySet()) {
      t.put("m." + name, tensor(m.get(name)));
      t.put("v." + name, tensor(v.get(name)));
    }
    SafetensorsWriter.write(
        file, t, Map.of("step", Long.toString(step)), SafetensorsFile.Dtype.F32);
  }

  /** Restores what {@link #save} wrote. */
  void load(Path file) {
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (String name : m.keySet()) {
        m.get(name).set(f.floats("m." + name));
        v.get(name).set(f.floats("v." + name));
      }
      step = Long.parseLong(f.metadata().getOrDefault("step", "0"));
    }
  }

  private static SafetensorsWriter.Tensor tensor(NDArray a) {
    return new SafetensorsWriter.Tensor(a.getShape().getShape(), a.toFloatArray());
  }

  @Override
  public void close() {
    manager.close();
  }
}
