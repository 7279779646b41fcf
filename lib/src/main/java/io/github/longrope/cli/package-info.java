/**
 * The {@code longrope} command line: picocli commands that parse arguments into a request record,
 * call a {@code run(request)} that returns a result record, and print it as text or, with {@code
 * --json}, as one JSON document on stdout. Options shared between subcommands are declared once, in
 * mixins ({@link io.github.longrope.cli.RopeOptions}, {@link io.github.longrope.cli.JsonOption}).
 *
 * <p>Allowed dependencies: everything in {@code lib}, picocli, Jackson, Tablesaw, progressbar; DJL
 * only for the plain matmul that {@code bench forward} measures the machine with.
 */
package io.github.longrope.cli;
