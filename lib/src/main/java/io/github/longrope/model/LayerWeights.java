package io.github.longrope.model;

import ai.djl.ndarray.NDArray;

/**
 * One decoder layer's parameters, projection matrices stored transposed ({@code [in, out]}) so that
 * a forward is {@code x.matMul(w)}. Biases are {@code null} unless the family has them (Qwen2's
 * q/k/v).
 */
record LayerWeights(
    NDArray inputNorm,
    NDArray postNorm,
    NDArray wq,
    NDArray wk,
    NDArray wv,
    NDArray bq,
    NDArray bk,
    NDArray bv,
    NDArray wo,
    NDArray wGate,
    NDArray wUp,
    NDArray wDown) {}
