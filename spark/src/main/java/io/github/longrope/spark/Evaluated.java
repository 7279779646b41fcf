package io.github.longrope.spark;

import java.io.Serial;
import java.io.Serializable;

/**
 * A task's result as it comes back to the driver.
 *
 * @param index position in the batch
 * @param fitness the candidate's fitness (non-finite ranks worst)
 * @param seconds the fitness evaluation alone, on the executor
 * @param loadSeconds time this task spent loading a decoder (0 when the executor had one)
 * @param executor the Spark executor id that ran it
 * @param device the device its decoder runs on ({@code cpu} or {@code gpu:N})
 */
record Evaluated(
    int index, double fitness, double seconds, double loadSeconds, String executor, String device)
    implements Serializable {
  @Serial private static final long serialVersionUID = 1L;
}
