/**
 * The end of an exhaustive `switch`: it compiles only when every case is handled, and throws if
 * a value the types ruled out arrives anyway (validated input never does).
 */
export function assertNever(value: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
