/**
 * Where datasets are cached unless `dlLessons.dataDirectory` (or the CLI's `--data-dir`) says
 * otherwise; the host and the training process must agree on it, so it is here. Node only: not
 * for webviews.
 */
import os from "node:os";
import path from "node:path";

/** `$DL_LESSONS_DATA_DIR`, else the user's cache folder (`$XDG_CACHE_HOME` or `~/.cache`) under `dl-lessons/datasets`. */
export function defaultDataDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DL_LESSONS_DATA_DIR) return env.DL_LESSONS_DATA_DIR;
  const cache = env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(cache, "dl-lessons", "datasets");
}
