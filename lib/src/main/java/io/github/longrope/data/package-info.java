/**
 * Token data: documents of token ids from a memory-mapped binary file pair, a JSON array of ids, or
 * text ({@code .txt}, {@code .jsonl}) tokenized on the fly.
 *
 * <p>Convention (official code; docs/method.md, "Token files"): stored documents carry no BOS;
 * protocols that need it (perplexity windows) prepend it.
 *
 * <p>Preparation ({@code longrope data prepare}): {@link io.github.longrope.data.DatasetBuilder}
 * builds a recipe's corpus ({@link io.github.longrope.data.DatasetReport} is its report), {@link
 * io.github.longrope.data.Mixtures} the synthetic passkey and recall mixtures, {@link
 * io.github.longrope.data.UserData} tokenizes the user's own files.
 *
 * <p>Allowed dependencies: {@code io} (tokenizer, JSON, atomic writes), Jackson (reports), the JDK.
 */
package io.github.longrope.data;
