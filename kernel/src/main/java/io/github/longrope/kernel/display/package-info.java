/**
 * MIME renderers: Tablesaw tables as HTML and text (with a row limit), XChart charts as PNG (SVG on
 * request), arrays as readable text.
 *
 * <p>Allowed dependencies: Tablesaw, XChart, basekernel's display types.
 */
package io.github.longrope.kernel.display;
