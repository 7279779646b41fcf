/**
 * Magics ({@code %classpath}, {@code %jars}, {@code %maven}, {@code %mavenRepo}, {@code
 * %%loadFromPOM}, {@code %time}, {@code %%time}, {@code %load}, {@code %vars}, {@code %imports},
 * {@code %methods}, {@code %lsmagic}, {@code %help}), the cell parser that separates them from Java
 * code, and completion inside magic lines.
 *
 * <p>Allowed dependencies: {@code jshell} (results, the session), the JDK (DOM for POM XML), and
 * Maven's resolver ({@code org.eclipse.aether}) for {@code %maven}.
 */
package io.github.longrope.kernel.magic;
