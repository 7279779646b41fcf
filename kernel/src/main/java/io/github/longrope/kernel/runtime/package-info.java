/**
 * Functions cells call without a prefix ({@code display}, {@code updateDisplay}), imported
 * statically into every cell.
 *
 * <p>Allowed dependencies: the JDK only (the kernel plugs in through {@link
 * io.github.longrope.kernel.runtime.DisplaySink}).
 */
package io.github.longrope.kernel.runtime;
