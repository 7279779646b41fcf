package io.github.longrope.train;

/**
 * Learning rate at a step: linear warm-up from 0 to {@code lr} over {@code warmup} steps, then
 * {@code cosine} or {@code linear} decay to {@code min_lr} at the last step, or {@code constant}.
 */
final class Schedule {
  private Schedule() {}

  /** lr for optimizer step {@code step} (1-based) of {@code total}. */
  static double lr(TrainConfig.OptimizerSpec o, long step, long total) {
    if (o.warmup() > 0 && step <= o.warmup()) {
      return o.lr() * step / o.warmup();
    }
    if (o.schedule().equals("constant") || total <= o.warmup()) {
      return o.lr();
    }
    double progress = Math.min(1, (double) (step - o.warmup()) / (total - o.warmup()));
    double shape =
        o.schedule().equals("cosine") ? 0.5 * (1 + Math.cos(Math.PI * progress)) : 1 - progress;
    return o.minLr() + (o.lr() - o.minLr()) * shape;
  }
}
