/** Version of the chat server and client. */
export const VERSION = "0.1.0";
