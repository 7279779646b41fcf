package io.github.longrope.pipeline;

/**
 * The run-level summary a config may ask for ({@code report}): the final table flat in the run
 * folder ({@code ppl.csv}, {@code ppl.md} with lengths down and rows across, {@code
 * ppl-vs-length.png}), each row's factors per dimension ({@code factors.csv}, {@code factors.png}),
 * {@code summary.json} and a {@code README.md} saying what ran, on what, with which budget — what a
 * newcomer opens first (the quickstart's output). See {@link RunReport}.
 *
 * @param title the README's heading (null: "Pipeline result")
 * @param command the command named as its writer (null: "./longrope pipeline")
 * @param note what the numbers are, in parentheses after the model (null: nothing)
 */
public record ReportSpec(String title, String command, String note) {
  public ReportSpec {
    title = title == null ? "Pipeline result" : title;
    command = command == null ? "./longrope pipeline" : command;
  }
}
