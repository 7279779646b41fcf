package io.github.longrope.data;

import java.nio.file.Path;

/**
 * A Debian package fetched and extracted (not installed).
 *
 * @param name package name
 * @param version the version actually seen (from the {@code .deb}'s control file)
 * @param deb the {@code .deb} file
 * @param root the extracted file tree ({@code usr/…} below it)
 */
public record DebianPackage(String name, String version, Path deb, Path root) {}
