package io.github.longrope.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.github.longrope.rope.CriticalDimension;
import java.util.Locale;

/**
 * LongRoPE2's critical dimension at L_train as {@code rope} and {@code seed} report it ({@code
 * critical_dimension}): d_tcd and d10_tcd in pairs and dimensions, and for {@code rope} also each
 * pair's periods in L_train.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record CriticalReport(
    int trainLength,
    int theoreticalPair,
    int theoreticalDims,
    int tenPeriodPair,
    int tenPeriodDims,
    @JsonInclude(JsonInclude.Include.NON_NULL) double[] periodsInTraining) {

  /** The report of {@code c}, with each pair's periods in L_train when {@code periods}. */
  static CriticalReport of(CriticalDimension c, boolean periods) {
    double[] k = null;
    if (periods) {
      k = new double[c.geometry().pairs()];
      java.util.Arrays.setAll(k, c::periodsInTraining);
    }
    return new CriticalReport(
        c.trainLength(),
        c.theoreticalPair(),
        c.theoreticalDims(),
        c.tenPeriodPair(),
        c.tenPeriodDims(),
        k);
  }

  /** {@code critical dimension at L_train=…: d_tcd=… (pair …), d10_tcd=… (pair …)}, no newline. */
  String line() {
    return String.format(
        Locale.ROOT,
        "critical dimension at L_train=%d: d_tcd=%d (pair %d), d10_tcd=%d (pair %d)",
        trainLength,
        theoreticalDims,
        theoreticalPair,
        tenPeriodDims,
        tenPeriodPair);
  }
}
