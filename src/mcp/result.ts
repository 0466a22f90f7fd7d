import { isIdseError } from '../errors.ts';

export type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

/** Tool answers are JSON text; user errors become `isError` results with their code, never a crash. */
export async function answer(work: () => Promise<unknown>): Promise<ToolResult> {
  try {
    return { content: [{ type: 'text', text: JSON.stringify(await work(), null, 2) }] };
  } catch (error) {
    const text = isIdseError(error)
      ? `[${error.code}] ${error.message}`
      : `[internal] ${(error as Error).message}`;
    return { content: [{ type: 'text', text }], isError: true };
  }
}
