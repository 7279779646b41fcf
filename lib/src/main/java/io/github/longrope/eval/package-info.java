/**
 * Evaluation protocols of the official LongRoPE code (docs/method.md, "Evaluation protocols") and
 * the evaluation suite.
 *
 * <ul>
 *   <li>{@link io.github.longrope.eval.Perplexity}: sliding-window or truncated perplexity of one
 *       length ("Perplexity");
 *   <li>{@link io.github.longrope.eval.PerplexityGrid}: perplexity of settings × data sets ×
 *       lengths, with one row type, one table schema and a resumable cells file; every perplexity
 *       table of the workbench (quickstart, pipeline, plan, {@code longrope ppl}, notebooks) is
 *       one;
 *   <li>{@link io.github.longrope.eval.PasskeyPrompt}, {@link io.github.longrope.eval.PasskeyGrid}:
 *       passkey retrieval ("Passkey retrieval") over lengths × depths, the needle-in-a-haystack
 *       heat map ("Passkey heat map");
 *   <li>{@link io.github.longrope.eval.BoundaryTest}: answers generated across the short/long
 *       switch ("Short/long boundary test"; failure mode F1);
 *   <li>{@code eval.mc}: multiple-choice log-likelihood tasks and the cloze set;
 *   <li>{@link io.github.longrope.eval.EvalConfig}, {@link io.github.longrope.eval.EvalSuite}: a
 *       plan over model/RoPE settings → one results folder, whose perplexity cells a killed run
 *       resumes from when its inputs are unchanged ({@code EvalCells});
 *   <li>{@link io.github.longrope.eval.PasskeyJob}, {@link io.github.longrope.eval.BoundaryJob},
 *       {@link io.github.longrope.eval.PerplexityJob} (and {@code mc.McJob}): one evaluation on one
 *       {@link io.github.longrope.eval.ModelUnderTest}, {@code run(request) → report}, the reports
 *       being what {@code longrope passkey|boundary|ppl|mc} print.
 * </ul>
 *
 * <p>Allowed dependencies: {@code rope}, {@code model}, {@code data}, {@code io}, {@code report},
 * Tablesaw, Jackson (the plan). Models are driven through {@code model.Decoder}; no DJL types here.
 */
package io.github.longrope.eval;
