'use client';

import { useEffect, useState } from 'react';

/** How long the news of a command stays on screen. */
const SHOWN_MS = 5_000;

export interface CommandStatusLine {
  /** What the last command did, for the status line (read out by screen readers), or ''. */
  message: string;
  say: (message: string) => void;
}

/** The status line the keyboard's commands share (role commands, loading an account's roles now): the latest news, for a few seconds. */
export function useCommandStatus(): CommandStatusLine {
  const [message, setMessage] = useState('');

  useEffect(() => {
    if (!message) return;
    const timer = setTimeout(() => setMessage(''), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [message]);

  return { message, say: setMessage };
}
