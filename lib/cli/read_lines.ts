/**
 * Lines from a byte stream such as stdin, the last one even without a newline.
 * @module
 */

/** Yields each line of a UTF-8 stream without its line ending. */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let rest = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    rest += text;
    let newline;
    while ((newline = rest.indexOf("\n")) >= 0) {
      yield rest.slice(0, newline).replace(/\r$/, "");
      rest = rest.slice(newline + 1);
    }
  }
  if (rest !== "") yield rest.replace(/\r$/, "");
}
