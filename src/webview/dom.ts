/** Tiny DOM helpers: elements are built with text nodes only (never innerHTML with data). */

type Attributes = Record<string, string | number | boolean | undefined | null>;
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

export function append(element: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** A text node the view keeps and updates in place on live updates. */
export function text(value = ''): Text {
  return document.createTextNode(value);
}

/** Sets a text node (or element's text) only when it changed: no layout work for equal text. */
export function setText(node: Text | HTMLElement, value: string): void {
  if (node.textContent !== value) node.textContent = value;
}

/** Runs `build`; if it throws, shows what failed in place of the view instead of a blank. */
export function safely(what: string, build: () => HTMLElement): HTMLElement {
  try {
    return build();
  } catch (error) {
    return errorBox(what, error);
  }
}

export function errorBox(what: string, error: unknown): HTMLElement {
  const message = error instanceof Error ? error.message : String(error);
  console.warn(`Parascope: could not draw ${what}:`, error);
  return h('div', { class: 'notice problem view-error', role: 'alert' },
    h('strong', {}, `Could not draw ${what}.`), ' ', `The data looks damaged (${message}). The rest of the panel is unaffected.`);
}

/**
 * Wraps a view's redraw (called later, from observers and events, outside any `safely`): the
 * first error replaces the view with a message and stops further redraws.
 */
export function guarded(what: string, element: () => HTMLElement, draw: () => void): () => void {
  let failed = false;
  return () => {
    if (failed) return;
    try {
      draw();
    } catch (error) {
      failed = true;
      element().replaceWith(errorBox(what, error));
    }
  };
}

/** Keeps a tooltip inside its chart, next to the pointer. */
export function place(tooltip: HTMLElement, x: number, y: number, width: number): void {
  const w = tooltip.offsetWidth;
  tooltip.style.left = `${Math.max(0, Math.min(x + 12, width - w - 4))}px`;
  tooltip.style.top = `${y + 14}px`;
}

/** A callable that runs `fn` once, in the next animation frame, however often it is called before. */
export interface Later {
  (): void;
  cancel(): void;
}

/**
 * `fn` in the next animation frame. Called while drawing (from an animation frame), that is the
 * frame after the one being drawn — after it was painted: for work nobody sees in the first
 * frame (text alternatives, hidden tables).
 */
export function afterPaint(fn: () => void): Later {
  let frame = 0;
  const later = () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      fn();
    });
  };
  later.cancel = () => {
    cancelAnimationFrame(frame);
    frame = 0;
  };
  return later;
}
