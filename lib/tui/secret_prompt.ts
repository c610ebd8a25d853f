/**
 * A prompt for a secret (a password): what is typed is kept but never shown, not even as
 * stars, never goes into the history, and is not completed. Pure: `onSecretKey(state, key)`
 * gives the next state and, at the end, the secret or a cancel; the terminal draws the prompt
 * alone.
 * @module
 */

import type { Key } from "./keys.ts";

/** Most UTF-16 code units a secret prompt keeps; past it typing is ignored. */
export const MAX_SECRET_CHARS = 4096;

/** What has been typed so far. */
export interface SecretState {
  readonly typed: string;
}

/** The result of one key: the new state, and the end of the prompt if this key ended it. */
export interface SecretStep {
  state: SecretState;
  /** `submit` on Enter, with the secret; `cancel` on Ctrl-C, Ctrl-D or Escape. */
  end?: { kind: "submit"; secret: string } | { kind: "cancel" };
}

/** An empty secret prompt. */
export const EMPTY_SECRET: SecretState = { typed: "" };

/**
 * Takes one key. Text and pastes are added, Backspace takes the last character off, Ctrl-U
 * clears; Enter submits, Ctrl-C, Ctrl-D and Escape cancel; every other key is ignored.
 *
 * @example
 * ```ts
 * import { EMPTY_SECRET, onSecretKey } from "./secret_prompt.ts";
 * let step = onSecretKey(EMPTY_SECRET, { kind: "text", text: "pw" });
 * step = onSecretKey(step.state, { kind: "enter" });
 * step.end; // { kind: "submit", secret: "pw" }
 * ```
 */
export function onSecretKey(state: SecretState, key: Key): SecretStep {
  switch (key.kind) {
    case "text":
    case "paste": {
      // A pasted password often ends in a line break: it is not part of it.
      const text = key.kind === "paste" ? key.text.replace(/[\r\n]+/g, "") : key.text;
      return { state: { typed: (state.typed + text).slice(0, MAX_SECRET_CHARS) } };
    }
    case "backspace":
      return { state: { typed: [...state.typed].slice(0, -1).join("") } };
    case "enter":
      return { state: EMPTY_SECRET, end: { kind: "submit", secret: state.typed } };
    case "escape":
      return { state: EMPTY_SECRET, end: { kind: "cancel" } };
    case "ctrl":
      if (key.letter === "c" || key.letter === "d") {
        return { state: EMPTY_SECRET, end: { kind: "cancel" } };
      }
      return key.letter === "u" ? { state: EMPTY_SECRET } : { state };
    default:
      return { state };
  }
}
