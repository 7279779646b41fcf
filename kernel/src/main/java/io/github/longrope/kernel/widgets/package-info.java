/**
 * Jupyter widgets (ipywidgets) from Java: sliders, a dropdown, a checkbox, text, buttons, labels
 * and boxes whose values cells read ({@code slider.value()}) and watch ({@code observe}), and
 * {@link io.github.longrope.kernel.widgets.Controls#interact} that redraws an output when a control
 * moves.
 *
 * <p>The models speak the protocol of the front end that {@code ./longrope kernel install} sets up:
 * Debian's {@code jupyter-nbextension-jupyter-js-widgets} 6.0 (module {@code jupyter-js-widgets},
 * version {@code ~2.1.4}) in the classic notebook. Every widget output also carries a {@code
 * text/plain} description, and {@code interact} outputs are ordinary displays (a PNG chart or an
 * HTML table), so a saved notebook reads without the widget front end.
 *
 * <p>Allowed dependencies: the JDK and Gson (the JSON of the wire format); the kernel plugs in
 * through {@link io.github.longrope.kernel.widgets.WidgetHost}.
 */
package io.github.longrope.kernel.widgets;
