/**
 * How long a console session lasts, as people choose it: 1, 4, 8 or 12 hours, sent to the
 * federation endpoint as SessionDuration (it accepts 900 to 43,200 seconds for Identity Center role
 * credentials). Without a choice, the console session lasts as long as the role credentials. No zod
 * here: this module is in the browser bundle.
 */
export const CONSOLE_SESSION_HOURS = [1, 4, 8, 12] as const;

export type ConsoleSessionHours = (typeof CONSOLE_SESSION_HOURS)[number];

export function isConsoleSessionHours(value: unknown): value is ConsoleSessionHours {
  return CONSOLE_SESSION_HOURS.some((hours) => hours === value);
}
