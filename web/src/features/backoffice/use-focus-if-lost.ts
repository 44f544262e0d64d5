import { type RefObject, useEffect } from 'react';

/**
 * When this page replaced another at the same address (the login form gave way to the home page,
 * or the other way round), focus was on a node that is gone: put it on the heading, as a
 * navigation would (see the layout's useFocusHeadingOnNavigation).
 */
export function useFocusIfLost(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    const node = ref.current;
    if (!node) return;
    node.tabIndex = -1;
    node.focus();
  }, [ref]);
}
