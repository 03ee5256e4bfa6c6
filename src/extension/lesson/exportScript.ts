/**
 * Export Python Script: the learner's challenge files of one lesson, in lesson order, as one Keras
 * script they can run with Python outside VS Code. Imports are gathered at the top once; a file
 * with blanks still open is left out with a comment that says so, since it would not run.
 */
import * as path from "node:path";

const BLANK = "_____";

/** Where Save As… proposes to put the script: beside the lesson's challenge folder, `<lessons folder>/<lesson>-complete.py`. */
export function defaultExportPath(workspaceRoot: string, lessonsFolder: string, lessonId: string): string {
  return path.join(workspaceRoot, lessonsFolder, `${lessonId}-complete.py`);
}

export interface ExportPart {
  challengeId: string;
  title: string;
  episodeTitle: string;
  /** The learner's file, or undefined when they never started the challenge. */
  source: string | undefined;
}

export interface ExportResult {
  script: string;
  included: string[];
  skipped: { challengeId: string; reason: "not started" | "blanks left" }[];
}

/** A top-level import statement on one line (the only kind the lesson's files use). */
function isImportLine(line: string): boolean {
  return line.startsWith("import ") || (line.startsWith("from ") && line.includes(" import "));
}

export function buildExportScript(lessonTitle: string, parts: readonly ExportPart[]): ExportResult {
  const imports: string[] = [];
  const sections: string[] = [];
  const included: string[] = [];
  const skipped: ExportResult["skipped"] = [];
  for (const part of parts) {
    if (part.source === undefined) {
      skipped.push({ challengeId: part.challengeId, reason: "not started" });
      continue;
    }
    if (part.source.includes(BLANK)) {
      skipped.push({ challengeId: part.challengeId, reason: "blanks left" });
      sections.push(`# --- ${part.title} (${part.episodeTitle}) ---\n# Left out: this challenge still has blanks (${BLANK}) to fill in.\n`);
      continue;
    }
    const body: string[] = [];
    for (const line of part.source.replace(/\r\n?/g, "\n").split("\n")) {
      if (isImportLine(line.trimEnd())) {
        if (!imports.includes(line.trimEnd())) imports.push(line.trimEnd());
      } else {
        body.push(line);
      }
    }
    included.push(part.challengeId);
    sections.push(`# --- ${part.title} (${part.episodeTitle}) ---\n${body.join("\n").trim()}\n`);
  }
  const header = `# ${lessonTitle}\n# Your code from the lesson's challenges, in lesson order. Run it with: python3 <this file>\n`;
  const script = [header, imports.join("\n"), ...sections].filter((chunk) => chunk.length > 0).join("\n\n") + "\n";
  return { script, included, skipped };
}
