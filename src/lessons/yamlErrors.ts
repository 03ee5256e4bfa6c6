/**
 * The `yaml` package's error messages in an author's terms: the first line only, without the
 * package's own "at line L, column C" (the lesson's problems carry the position in the episode or
 * lesson file, where the package counts from the start of the YAML text).
 */
import type { YAMLError } from "yaml";

export function yamlErrorMessage(error: Pick<YAMLError, "message">): string {
  return (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
}
