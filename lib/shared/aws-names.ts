/**
 * What Identity Center's strings may look like before Gatehouse uses them: AWS's documented shapes.
 * Identity Center is trusted for who has what, never for code: a name that fails here is shown as
 * invalid on its own and written nowhere else (no exported config, no credentials text, no audit).
 * No zod here: the browser uses these too.
 */

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
/** Permission-set (role) names: IAM's role-name characters, 1 to 64. */
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
/** Identity Center user names: letters, digits and + = , . @ _ -, 1 to 128. */
export const USER_NAME_PATTERN = /^[\w+=,.@-]{1,128}$/;

/**
 * Characters a name may not carry: controls (line breaks among them), format characters (bidi
 * overrides that reorder what is shown), line and paragraph separators, surrogates, private use.
 */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;

/**
 * `value` with every character that is not printable (see NOT_PRINTABLE) removed: what may be shown
 * in a terminal of a text that came from elsewhere (an escape sequence would drive the terminal).
 */
export function printableOnly(value: string): string {
  return value.replace(new RegExp(NOT_PRINTABLE.source, 'gu'), '');
}

/** A display name: 1 to `max` printable characters, not only spaces. */
export function isPrintableName(value: string, max = 128): boolean {
  return value.length >= 1 && value.length <= max && value.trim().length > 0 && !NOT_PRINTABLE.test(value);
}

/** An e-mail address as ListAccounts reports it: printable, no spaces, one @, 3 to 254 characters. */
export function isEmailAddress(value: string): boolean {
  return value.length >= 3 && value.length <= 254 && !NOT_PRINTABLE.test(value) && /^[^\s@]+@[^\s@]+$/.test(value);
}

/** Access key ids: IAM's `[\w]+`, 16 to 128 characters. */
export const ACCESS_KEY_ID_PATTERN = /^\w{16,128}$/;
/** Secret access keys: base64 characters, 16 to 128. */
export const SECRET_ACCESS_KEY_PATTERN = /^[A-Za-z0-9/+=]{16,128}$/;
/** Session tokens: base64 characters, 16 to 8192. */
export const SESSION_TOKEN_PATTERN = /^[A-Za-z0-9/+=]{16,8192}$/;

/**
 * A refused value as people may see it, so an administrator can find it: at most 80 characters,
 * every character that is not printable shown as its code (`\n`, `\u202e`).
 */
export function shownSafely(value: string): string {
  const escaped = [...value.slice(0, 200)]
    .map((character) => {
      if (character === '\n') return '\\n';
      if (character === '\r') return '\\r';
      if (character === '\t') return '\\t';
      if (!NOT_PRINTABLE.test(character)) return character;
      return `\\u{${(character.codePointAt(0) ?? 0).toString(16)}}`;
    })
    .join('');
  return escaped.length > 80 ? `${escaped.slice(0, 79)}…` : escaped;
}
