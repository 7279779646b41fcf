/**
 * The LongRoPE evolution search (method doc §2): a pure loop over a fitness callback and a seeded
 * random source. So far: the factor grid that mutation draws from.
 *
 * <p>Allowed dependencies: {@code rope}, the JDK (JSON only in the run-record classes).
 */
package io.github.longrope.search;
