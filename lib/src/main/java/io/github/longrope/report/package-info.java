/**
 * Result tables and figures, shared by the evaluation suite, the search and the notebooks: Tablesaw
 * {@code Table}s in, XChart charts, CSV, PNG and Markdown out.
 *
 * <pre>{@code
 * Table ppl = ...;                                   // columns method, length, ppl
 * XYChart chart = Charts.perplexityVsLength(ppl);    // log x axis, one line per method
 * ReportFiles.writePng(chart, dir.resolve("ppl.png"));
 * ReportFiles.writeCsv(ppl, dir.resolve("ppl.csv"));
 * String md = Markdown.table(ppl);
 * Table rows = RecordTables.of("search", Row.class, list); // a column per record component
 * }</pre>
 *
 * <p>Charts render headless ({@code java.awt.headless=true} is set before the first chart unless
 * the JVM was started with a choice). Writes are atomic ({@link
 * io.github.longrope.io.AtomicFiles}).
 *
 * <p>Allowed dependencies: Tablesaw, XChart, {@code io} (atomic writes), Jackson (tables as JSON),
 * the JDK. Nothing here knows about models: builders take tables with named columns.
 */
package io.github.longrope.report;
