/**
 * Token data: documents of token ids from a memory-mapped binary file pair, a JSON array of ids, or
 * text ({@code .txt}, {@code .jsonl}) tokenized on the fly.
 *
 * <p>Convention (official code; docs/method.md, "Token files"): stored documents carry no BOS;
 * protocols that need it (perplexity windows) prepend it.
 *
 * <p>Allowed dependencies: {@code io} (tokenizer, JSON, atomic writes), the JDK.
 */
package io.github.longrope.data;
