/** Typed lookups for the elements index.html declares. */

type ElementClass<T extends HTMLElement> = abstract new (...args: never[]) => T;

/** The element with this id, checked to be of the expected kind; throws when the page is wrong. */
export function requireElement<T extends HTMLElement>(
  root: Document,
  id: string,
  kind: ElementClass<T>,
): T {
  const element = root.getElementById(id);
  if (!(element instanceof kind)) {
    throw new Error(`index.html needs #${id} as a ${kind.name}`);
  }
  return element;
}
