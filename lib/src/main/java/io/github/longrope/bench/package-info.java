/**
 * Benchmarks of the Java decoder against the independent PyTorch reference ({@code
 * test-tools/reference_llama.py}, run by {@link io.github.longrope.bench.ReferenceScript}), each
 * measured side by side in one run so that ratios, not absolute timings, carry the result: {@link
 * io.github.longrope.bench.ForwardBench} (forward tokens/s, peak RSS, fraction of a plain matmul),
 * {@link io.github.longrope.bench.TrainBench} (training step tokens/s with and without activation
 * checkpointing) and {@link io.github.longrope.bench.SearchBench} (search evaluations/s and the
 * share of time in the forward). Each is {@code run(Request) → Report}; a report is JSON through
 * Jackson and has a {@code text()} table. {@code longrope bench …} is the front end; error messages
 * name its flags.
 *
 * <p>Allowed dependencies: {@code model}, {@code io}, {@code data}, {@code eval}, {@code search},
 * {@code train}, {@code rope}, Jackson, the JDK; DJL only for the plain matmul that {@link
 * io.github.longrope.bench.ForwardBench} measures the machine with.
 */
package io.github.longrope.bench;
