/**
 * Names as every path takes them (the rules are in name-rules.ts, which the SDK shares without
 * zod): this module adds the schema the server validates with.
 */
import { z } from 'zod';
import { nameProblem, normalizeName } from './name-rules.js';

export * from './name-rules.js';

/** A name as a person typed it: checked, then normalized. */
export const NameSchema = z
  .string()
  .superRefine((value, context) => {
    const problem = nameProblem(value);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  })
  .transform(normalizeName);
