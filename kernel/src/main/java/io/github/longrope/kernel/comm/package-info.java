/**
 * Jupyter comms ({@code comm_open}, {@code comm_msg}, {@code comm_close}, {@code
 * comm_info_request}) and the kernel's widget host: the wire side of {@code
 * io.github.longrope.kernel.widgets}.
 *
 * <p>Allowed dependencies: basekernel, Gson, the kernel's {@code display} and {@code widgets}.
 */
package io.github.longrope.kernel.comm;
