/**
 * The workbench's Jupyter kernel: JShell running in the kernel's own JVM on {@code
 * jupyter-jvm-basekernel}, with the {@code lib} module on the class path, IJava-style {@code
 * display()}, magics and Tablesaw/XChart rendering. {@link io.github.longrope.kernel.Main} is the
 * entry point Jupyter starts; {@link io.github.longrope.kernel.LongRopeKernel} wires the parts.
 *
 * <p>Sub-packages: {@code jshell} (evaluation, completion, errors), {@code display} (MIME
 * renderers), {@code magic} (magics), {@code runtime} (functions cells call), {@code install} (the
 * kernelspec installer behind {@code ./longrope kernel install}), {@code comm} (Jupyter comms and
 * the widget host) and {@code widgets} (ipywidgets from Java).
 *
 * <p>Allowed dependencies: basekernel, JDK {@code jdk.jshell}, Tablesaw, XChart. Never {@code lib}
 * at compile time: notebooks reach the library through the kernel's class path (a runtime-scope
 * dependency), and {@code lib} never depends on the kernel.
 */
package io.github.longrope.kernel;
