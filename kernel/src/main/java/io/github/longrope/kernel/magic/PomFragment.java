package io.github.longrope.kernel.magic;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The body of a {@code %%loadFromPOM} cell, as IJava reads it: a whole {@code pom.xml} or just some
 * of its elements ({@code <dependencies>}, single {@code <dependency>} elements, {@code
 * <repositories>}, {@code <properties>}) — a fragment is read as if it stood inside {@code
 * <project>}. {@code ${name}} is replaced from {@code <properties>}; test, provided and system
 * scopes and {@code <dependencyManagement>} are left out.
 *
 * @param coordinates {@code group:artifact[:type[:classifier]]:version} per dependency
 * @param repositories {@code {id, url}} per repository
 */
public record PomFragment(List<String> coordinates, List<String[]> repositories) {
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  public static PomFragment read(String body) throws MagicException {
    String xml = body.strip();
    if (xml.startsWith("<?xml")) {
      xml = xml.substring(xml.indexOf("?>") + 2).strip();
    }
    if (!xml.startsWith("<project")) {
      xml = "<project>" + xml + "</project>";
    }
    Element project = parse(xml).getDocumentElement();
    Map<String, String> properties = new HashMap<>();
    for (Element props : children(project, "properties")) {
      for (Element p : children(props, null)) {
        properties.put(p.getTagName(), p.getTextContent().strip());
      }
    }
    List<Element> dependencies = new ArrayList<>(children(project, "dependency"));
    for (Element deps : children(project, "dependencies")) {
      dependencies.addAll(children(deps, "dependency"));
    }
    List<String> coordinates = new ArrayList<>();
    for (Element d : dependencies) {
      String scope = text(d, "scope", properties);
      if (List.of("test", "provided", "system").contains(scope)) {
        continue;
      }
      String group = text(d, "groupId", properties);
      String artifact = text(d, "artifactId", properties);
      String version = text(d, "version", properties);
      if (group.isEmpty() || artifact.isEmpty() || version.isEmpty()) {
        throw new MagicException(
            "%%loadFromPOM: a <dependency> needs <groupId>, <artifactId> and <version> (got '"
                + group
                + ":"
                + artifact
                + ":"
                + version
                + "'; versions from a BOM are not read here)");
      }
      String type = text(d, "type", properties);
      String classifier = text(d, "classifier", properties);
      StringBuilder c = new StringBuilder(group).append(':').append(artifact);
      if (!classifier.isEmpty()) {
        c.append(':').append(type.isEmpty() ? "jar" : type).append(':').append(classifier);
      } else if (!type.isEmpty()) {
        c.append(':').append(type);
      }
      coordinates.add(c.append(':').append(version).toString());
    }
    List<String[]> repositories = new ArrayList<>();
    for (Element repos : children(project, "repositories")) {
      for (Element r : children(repos, "repository")) {
        repositories.add(new String[] {text(r, "id", properties), text(r, "url", properties)});
      }
    }
    if (coordinates.isEmpty()) {
      throw new MagicException("%%loadFromPOM: the cell names no <dependency>");
    }
    return new PomFragment(coordinates, repositories);
  }

  private static Document parse(String xml) throws MagicException {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(null);
      return b.parse(new InputSource(new StringReader(xml)));
    } catch (Exception e) {
      throw new MagicException("%%loadFromPOM: not well-formed XML: " + e.getMessage(), e);
    }
  }

  /** Direct child elements named {@code name} (any when null). */
  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
        out.add(e);
      }
    }
    return out;
  }

  private static String text(Element parent, String name, Map<String, String> properties) {
    List<Element> found = children(parent, name);
    if (found.isEmpty()) {
      return "";
    }
    Matcher m = PROPERTY.matcher(found.get(0).getTextContent().strip());
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          sb, Matcher.quoteReplacement(properties.getOrDefault(m.group(1), m.group())));
    }
    return m.appendTail(sb).toString();
  }
}
