/**
 * RoPE scaling variants as pure math on {@code double[]}: inverse frequencies, the equivalent
 * per-dimension rescale factors λᵢ, the attention (magnitude) scale and cos/sin tables.
 *
 * <p>Allowed dependencies: the JDK only. No DJL, no JSON: the model, the search and the formats all
 * build on this package, and its arithmetic must be testable in milliseconds.
 *
 * <p>Glossary (paper symbol → code name): λᵢ → {@code factors} / {@link
 * io.github.longrope.rope.FactorTable}, s → {@code scale} (or HF's {@code factor}), L → {@code
 * originalLength}, L′ → {@code targetLength}, n̂ → {@code startTokens}, d → {@code rotaryDim}, b →
 * {@code base}. Direction: λ ≥ 1 divides the frequency, {@code inv_freq'ᵢ = θᵢ / λᵢ}.
 */
package io.github.longrope.rope;
