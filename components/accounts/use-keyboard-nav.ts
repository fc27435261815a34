'use client';

import { type FocusEvent, type KeyboardEvent, type RefObject, useLayoutEffect, useRef, useState } from 'react';

import { isTyping } from './keyboard-help';
import { firstStop as firstStopOf, isShown, navKey, navStops, navTargetOf, type NavTarget, type ResultsLayout, sameTarget } from './nav';
import { ROLE_KEYS, type RoleCommand } from './use-role-commands';

/** Rows that PageUp/PageDown move. */
const PAGE_STEP = 10;

/** Moves the window just enough that `element` is clear of the sticky search bar and the bottom edge. */
function reveal(element: HTMLElement, toolbar: HTMLElement | null) {
  const target = element.matches('[data-nav-owner] button') ? (element.closest<HTMLElement>('[data-row-head]') ?? element) : element;
  const rect = target.getBoundingClientRect();
  const top = (toolbar?.getBoundingClientRect().bottom ?? 0) + 8;
  const bottom = window.innerHeight - 8;
  if (rect.top < top) window.scrollBy({ top: rect.top - top });
  else if (rect.bottom > bottom) window.scrollBy({ top: Math.min(rect.bottom - bottom, rect.top - top) });
}

export interface KeyboardNav {
  /** The results' one tab stop (roving tab index): the last stop used while it is shown, else the first. */
  tabStop: NavTarget | null;
  /** The tab stop's index in the full list, when it lies there (the list keeps that row rendered). */
  tabStopIndex: number | undefined;
  onSearchKeyDown: (event: KeyboardEvent<HTMLInputElement>) => void;
  onResultsKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
  onResultsFocus: (event: FocusEvent<HTMLDivElement>) => void;
  /** Forgets the last stop used (the results were replaced): the tab stop is the first again. */
  reset: () => void;
}

/**
 * The keyboard through the search and its results: Down Arrow or Enter from the search box enters
 * them (Enter also opens the first account), the arrow keys, Page Up/Down, Home and End move, Right
 * and Left open and close an account or step into its roles, Escape and Up from the top go back to
 * the search, and typing goes on in the search box. On a role, Enter opens its keys and the letters
 * of ROLE_KEYS run their commands.
 */
export function useKeyboardNav({
  layout,
  search,
  toolbarRef,
  toggleExpanded,
  onRoleCommand,
  suggested,
}: {
  layout: ResultsLayout;
  search: { query: string; changeQuery: (value: string) => void; focusSearch: () => void; searchRef: RefObject<HTMLInputElement | null> };
  toolbarRef: RefObject<HTMLElement | null>;
  toggleExpanded: (accountId: string) => void;
  onRoleCommand: (command: RoleCommand, accountId: string, roleName: string, element: HTMLElement) => void;
  /** The role the search names: Enter in the search box opens its keys (focus comes back to it). */
  suggested: NavTarget | null;
}): KeyboardNav {
  const [active, setActive] = useState<NavTarget | null>(null);
  const focusPending = useRef<string | null>(null);

  const firstStop = firstStopOf(layout);
  const tabStop = active && isShown(active, layout) ? active : firstStop;
  const tabStopIndex = tabStop?.section === 'all' ? layout.matchedIndex.get(tabStop.accountId) : undefined;

  // Keyboard moves: focus the new stop once it is rendered, and bring it into view.
  useLayoutEffect(() => {
    const id = focusPending.current;
    if (!id) return;
    focusPending.current = null;
    const element = document.getElementById(id);
    if (!element) return;
    element.focus({ preventScroll: true });
    reveal(element, toolbarRef.current);
    // Rows rendered for the first time are measured after this frame's layout and can move it a little
    // (their estimated heights were off): once more, in the frame after.
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (element.isConnected && document.activeElement === element) reveal(element, toolbarRef.current);
      }),
    );
  });

  const moveTo = (target: NavTarget | undefined) => {
    if (!target) return;
    focusPending.current = navKey(target);
    setActive(target);
    // Rendered now (and measured) if it was far away: the full list always renders the tab stop.
  };

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const suggestedRow = suggested?.roleName !== undefined ? document.getElementById(navKey(suggested)) : null;
    if (event.key === 'Enter' && suggested?.roleName !== undefined && suggestedRow) {
      event.preventDefault();
      moveTo(suggested);
      onRoleCommand('keys', suggested.accountId, suggested.roleName, suggestedRow);
    } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
      if (!firstStop) return;
      event.preventDefault();
      moveTo(firstStop);
      if (event.key === 'Enter' && firstStop.roleName === undefined && !layout.expanded.has(firstStop.accountId)) {
        toggleExpanded(firstStop.accountId);
      }
    } else if (event.key === 'Escape' && search.query) {
      event.preventDefault();
      search.changeQuery('');
    }
  };

  const onResultsKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const element = event.target as HTMLElement;
    if (isTyping(element) || element.tagName === 'SUMMARY') return;
    const current = navTargetOf(element);
    if (!current) return;
    if (current.roleName !== undefined) {
      const owner = element.closest<HTMLElement>('[data-nav-owner]') ?? element;
      // Enter on a control in the row (Console, the star) is that control's own.
      const command = event.key === 'Enter' ? (element === owner ? 'keys' : undefined) : ROLE_KEYS[event.key];
      if (command) {
        event.preventDefault();
        onRoleCommand(command, current.accountId, current.roleName, element);
        return;
      }
    }
    const isAccount = current.roleName === undefined;
    const accountExpanded = layout.expanded.has(current.accountId);
    const indexIn = (list: NavTarget[]) => list.findIndex((stop) => sameTarget(stop, current));

    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp':
      case 'PageDown':
      case 'PageUp': {
        event.preventDefault();
        const list = navStops(layout);
        const at = indexIn(list);
        const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : event.key === 'PageDown' ? PAGE_STEP : -PAGE_STEP;
        if (at + step < 0 && event.key === 'ArrowUp') {
          search.focusSearch();
          return;
        }
        moveTo(list[Math.max(0, Math.min(list.length - 1, at + step))]);
        return;
      }
      case 'Home':
        event.preventDefault();
        moveTo(navStops(layout)[0]);
        return;
      case 'End': {
        event.preventDefault();
        const list = navStops(layout);
        moveTo(list[list.length - 1]);
        return;
      }
      case 'ArrowRight':
        if (!isAccount || (current.section !== 'fav' && current.section !== 'all')) return;
        event.preventDefault();
        if (!accountExpanded) toggleExpanded(current.accountId);
        else {
          const firstRole = layout.entries.get(current.accountId)?.roles?.[0];
          if (firstRole !== undefined) moveTo({ ...current, roleName: firstRole });
        }
        return;
      case 'ArrowLeft':
        if (current.section !== 'fav' && current.section !== 'all') return;
        event.preventDefault();
        if (!isAccount) moveTo({ section: current.section, accountId: current.accountId });
        else if (accountExpanded) toggleExpanded(current.accountId);
        return;
      case 'Escape':
        event.preventDefault();
        search.focusSearch();
        return;
      default:
        // Typing anywhere in the results goes on in the search box (the key lands there); ? opens the help instead.
        if (event.key.length === 1 && event.key !== ' ' && event.key !== '/' && event.key !== '?') search.searchRef.current?.focus();
    }
  };

  const onResultsFocus = (event: FocusEvent<HTMLDivElement>) => {
    const target = navTargetOf(event.target);
    if (target && !sameTarget(target, active)) setActive(target);
  };

  return { tabStop, tabStopIndex, onSearchKeyDown, onResultsKeyDown, onResultsFocus, reset: () => setActive(null) };
}
