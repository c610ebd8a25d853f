/**
 * Why a line could not be read or written as IRC: stable codes that tests check.
 * @module
 */

/** A reason a line is not IRC, or a message cannot become one. */
export type IrcLineErrorCode =
  | "EMPTY_LINE"
  | "LINE_TOO_LONG"
  | "TAGS_TOO_LONG"
  | "BAD_TAG"
  | "BAD_SOURCE"
  | "BAD_COMMAND"
  | "BAD_PARAM"
  | "FORBIDDEN_CHARACTER";

/** An error value of the IRC codec, never thrown. */
export interface IrcLineError {
  code: IrcLineErrorCode;
  message: string;
}

/** Builds an {@linkcode IrcLineError}. */
export function ircLineError(code: IrcLineErrorCode, message: string): IrcLineError {
  return { code, message };
}
