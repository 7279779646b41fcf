/**
 * Helpers that keep notebook cells a few lines long: where the repository is ({@link
 * io.github.longrope.notebook.Workbench}), the corpus prepared on first use, the engine's thread
 * count, and a search listener that turns a running search into a live table and chart ({@link
 * io.github.longrope.notebook.SearchMonitor}). Everything here is plain library code, usable (and
 * tested) without Jupyter; cells pass the kernel's {@code display}/{@code updateDisplay} in as
 * callbacks.
 *
 * <p>Allowed dependencies: every library package except {@code cli}; Tablesaw, XChart. Never the
 * kernel.
 */
package io.github.longrope.notebook;
