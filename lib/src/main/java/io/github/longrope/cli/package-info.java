/**
 * The {@code longrope} command line: picocli commands that parse arguments into a request record,
 * call the library's {@code run(request)}, which returns a report record, and print it as text or,
 * with {@code --json}, as one JSON document on stdout, serialised from the record by Jackson
 * ({@link io.github.longrope.cli.JsonOption#report}). Work that is not argument handling lives in
 * the library: the benchmarks in {@code bench}, dataset preparation in {@code data}, the
 * single-model evaluations in {@code eval} ({@code PasskeyJob}, {@code BoundaryJob}, {@code
 * mc.McJob}).
 *
 * <p>Options shared between subcommands are declared once, in mixins: {@link
 * io.github.longrope.cli.ModelOptions} ({@code --model} + {@link
 * io.github.longrope.cli.EngineOptions}: {@code --attention-chunk}, {@code --dtype}, {@code
 * --device}, {@link io.github.longrope.cli.ThreadsOption}), {@link
 * io.github.longrope.cli.DocumentOptions}, {@link io.github.longrope.cli.GeometryOptions}, {@link
 * io.github.longrope.cli.SearchEngineOptions}, {@link io.github.longrope.cli.SeedOption} (each
 * command its own default), {@link io.github.longrope.cli.NoTorchOption}, {@link
 * io.github.longrope.cli.JsonOption}, and the argument group {@link
 * io.github.longrope.cli.RopeOptions}. Flag values are checked where they are read, by {@link
 * io.github.longrope.cli.Flags}, so that every error names its flag; progress goes to stderr
 * through {@link io.github.longrope.cli.Progress} (and {@link io.github.longrope.cli.PipelineBars}
 * for a pipeline run).
 *
 * <p>The help text (command and option descriptions) is not in the annotations but in picocli's
 * resource bundle {@code io/github/longrope/cli/Messages.properties}, set once on {@link
 * io.github.longrope.cli.Main} and inherited by every subcommand: an option's text is under its
 * longest name without dashes, shared by every command that declares it, or under a key qualified
 * by the command ({@code longrope.seed.factor}) where one command says something else.
 *
 * <p>Allowed dependencies: everything in {@code lib}, picocli, Jackson, Tablesaw, progressbar; no
 * DJL.
 */
package io.github.longrope.cli;
