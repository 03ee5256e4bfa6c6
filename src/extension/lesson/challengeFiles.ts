/**
 * Where a challenge's file lives in the learner's workspace, what Start and Reset do to it, and the
 * name of the backup Reset keeps. Pure path logic and decisions, no 'vscode' import.
 */
import * as path from "node:path";

/** `<workspace>/<lessonsFolder>/<lesson-id>/<challenge-id>.py` */
export function challengeFilePath(workspaceRoot: string, lessonsFolder: string, lessonId: string, challengeId: string): string {
  return path.join(workspaceRoot, lessonsFolder, lessonId, `${challengeId}.py`);
}

/**
 * Which challenge a file in the workspace belongs to, from its place in the lessons folder; the
 * reverse of `challengeFilePath`.
 */
export function challengeOfPath(filePath: string, workspaceRoot: string, lessonsFolder: string): { lessonId: string; challengeId: string } | undefined {
  const relative = path.relative(path.join(workspaceRoot, lessonsFolder), filePath);
  const parts = relative.split(path.sep);
  if (parts.length !== 2 || parts[0] === ".." || parts[0] === "" || !parts[1]?.endsWith(".py")) return undefined;
  const [lessonId, file] = parts as [string, string];
  return { lessonId, challengeId: file.slice(0, -".py".length) };
}

/** `conv2d-layer.py` -> `conv2d-layer.py.bak-20260129-143005.py`: still Python, sorts by time. */
export function backupFilePath(filePath: string, when: Date): string {
  const two = (n: number): string => String(n).padStart(2, "0");
  const stamp = `${when.getFullYear()}${two(when.getMonth() + 1)}${two(when.getDate())}-${two(when.getHours())}${two(when.getMinutes())}${two(when.getSeconds())}`;
  return `${filePath}.bak-${stamp}.py`;
}

/** Whether the learner changed a file: line endings and trailing whitespace differ between editors and are not edits. */
export function sameCode(a: string, b: string): boolean {
  const normalize = (text: string): string =>
    text
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n")
      .trimEnd();
  return normalize(a) === normalize(b);
}
