/**
 * Cell evaluation with JShell in the kernel's JVM: statement splitting, a capturing execution
 * control that keeps real result objects, interrupts (cooperative first, then a stop), errors
 * mapped to cell lines, completion and inspection.
 *
 * <p>Allowed dependencies: the JDK ({@code jdk.jshell}) only.
 */
package io.github.longrope.kernel.jshell;
