/**
 * Magics ({@code %classpath}, {@code %jars}, {@code %maven}, {@code %time}, {@code %%time}, {@code
 * %lsmagic}) and the cell parser that separates them from Java code.
 *
 * <p>Allowed dependencies: {@code jshell} (results), the JDK; Maven is run as a process.
 */
package io.github.longrope.kernel.magic;
