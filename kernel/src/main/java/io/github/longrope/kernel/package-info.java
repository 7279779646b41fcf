/**
 * The workbench's Jupyter kernel: JShell running in the kernel's own JVM on {@code
 * jupyter-jvm-basekernel}, with the {@code lib} module on the class path, IJava-style {@code
 * display()}, magics and Tablesaw/XChart rendering.
 *
 * <p>Skeleton: this module only pins its dependencies so far; the kernel issue fills it in (see
 * {@code kernel/README.md} and the shared kernel notes).
 *
 * <p>Allowed dependencies: basekernel, JDK {@code jdk.jshell}, Tablesaw, XChart. Never {@code lib}
 * at compile time: notebooks reach the library through the kernel's class path.
 */
package io.github.longrope.kernel;
