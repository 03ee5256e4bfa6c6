/**
 * Where a webview's data enters the host: a message or a kept state is parsed with its panel's
 * schema (`src/protocol/panels.ts`), and what fails is dropped with one log line that says what
 * was wrong. No 'vscode' import: unit-tested directly.
 */
import * as v from "valibot";
import { describeIssues } from "../../protocol/panels";

export interface ParseLog {
  warn(message: string): void;
}

/** A message from the `bundle` webview as its schema reads it, or undefined (logged) when it is not one. */
export function parseWebviewMessage<T>(schema: v.GenericSchema<unknown, T>, raw: unknown, bundle: string, log: ParseLog): T | undefined {
  const parsed = v.safeParse(schema, raw);
  if (parsed.success) return parsed.output;
  log.warn(`Ignored an invalid message from the ${bundle} webview (${describeIssues(parsed.issues)}): ${preview(raw)}`);
  return undefined;
}

/**
 * The state a `viewType` panel's webview kept, as VS Code hands it to the serializer after a
 * reload, or undefined when there is none or it is not valid (an older version's, say; logged).
 */
export function parsePersistedState<T>(schema: v.GenericSchema<unknown, T>, raw: unknown, viewType: string, log: ParseLog): T | undefined {
  const parsed = v.safeParse(schema, raw);
  if (parsed.success) return parsed.output;
  // Nothing kept (the webview never drew) is the usual case, not worth a line.
  if (raw !== undefined && raw !== null) log.warn(`Closed a restored ${viewType} panel whose saved state is not valid (${describeIssues(parsed.issues)}).`);
  return undefined;
}

/** The start of a value as JSON, for a log line; never throws (a webview can send a cycle-free value only, but be safe). */
function preview(raw: unknown): string {
  try {
    return (JSON.stringify(raw) ?? String(raw)).slice(0, 200);
  } catch {
    return String(raw).slice(0, 200);
  }
}
