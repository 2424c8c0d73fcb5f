import type { StackTable } from '../../../model/stacks.js';

/**
 * The string and stack tables an ordered event refers to: a v2 generation's, or
 * the single table of a converted v1 trace (Go's evTable).
 */
export interface EventTables {
  /** Generation number, for error messages (1 for v1 traces). */
  readonly gen: number;
  hasStack(id: number): boolean;
  /** The interned model StackID of the table's stack `id` (0 stays 0). */
  stack(id: number, table: StackTable): number;
  hasString(id: number): boolean;
  string(id: number): string;
}
