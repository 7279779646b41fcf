/**
 * The kernelspec installer behind {@code ./longrope kernel install|remove|spec}.
 *
 * <p>Allowed dependencies: the JDK and Gson (from basekernel).
 */
package io.github.longrope.kernel.install;
