/**
 * Random-input tests (fuzzing, property checks) try fewer cases by default, so that
 * `npm run test:unit` stays quick; `DL_LESSONS_THOROUGH=1` tries the full counts.
 */
export const THOROUGH = process.env["DL_LESSONS_THOROUGH"] === "1";

/** `quick` cases normally, `thorough` when DL_LESSONS_THOROUGH=1. */
export function caseCount(quick: number, thorough: number): number {
  return THOROUGH ? thorough : quick;
}
