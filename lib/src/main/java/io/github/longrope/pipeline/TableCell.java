package io.github.longrope.pipeline;

/**
 * One cell of the final table.
 *
 * @param method {@code none}, {@code pi}, … (base-model baselines), {@code search}, {@code
 *     finetuned} or {@code extended}
 * @param model which model ran it: {@code base}, {@code finetuned} or {@code extended}
 * @param length evaluation length
 * @param scale s = L′/L the baselines were configured for (the pipeline's own models use theirs)
 * @param ppl perplexity (official protocol)
 * @param tokens tokens scored
 * @param documents documents evaluated
 * @param seconds wall time of the cell
 */
public record TableCell(
    String method,
    String model,
    int length,
    double scale,
    double ppl,
    long tokens,
    int documents,
    double seconds) {}
