package io.github.longrope.kernel.widgets;

/** HTML that the kernel changes (a small table, a coloured status); the front end shows it. */
public final class Html extends ValueWidget<String> {
  public Html(String value) {
    super(
        "HTMLModel",
        "HTMLView",
        String.class,
        keys("description", "", "disabled", false, "placeholder", "\u200b", "value", value));
  }

  @Override
  public String describe() {
    return value().replaceAll("<[^>]*>", "");
  }
}
