/**
 * The confirmation id a terminal's sign-in link carries (`/terminal/confirm?request=…`): 43
 * base64url characters. No zod here: the browser imports it.
 */
export const CONFIRM_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
