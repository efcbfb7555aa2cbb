// Builds the report object of `clean` from what src/wasm.rs `report()` hands over (keep
// the two in step): the caller's input, the cleaned text (undefined for plain text: the
// kept blocks joined by a blank line, as the core writes it), STRIDE numbers per block
//   [start, end, tokens, kind, of, distance, hasRun, run.start, run.len, run.source]
// (UTF-16 indices; kind 0 = kept), and both fingerprints of every block as 32 hex
// digits. Each block's text is sliced from the caller's own string: no copy out of
// WebAssembly memory, and `input.slice(start, end) === text` by construction.

const STRIDE = 10;
const KINDS = [null, "exact_repeat", "near_repeat"];

export function buildReport(input, text, numbers, hex, stats) {
  const count = numbers.length / STRIDE;
  const blocks = new Array(count);
  const kept = text === undefined ? [] : null;
  for (let i = 0, o = 0, h = 0; i < count; i++, o += STRIDE, h += 32) {
    const start = numbers[o];
    const end = numbers[o + 1];
    const kind = numbers[o + 3];
    let reason = null;
    if (kind !== 0) {
      reason = {
        kind: KINDS[kind],
        of: numbers[o + 4],
        distance: numbers[o + 5],
        run: numbers[o + 6] === 0 ? null : { start: numbers[o + 7], len: numbers[o + 8], source: numbers[o + 9] },
      };
    }
    const blockText = input.slice(start, end);
    if (kept !== null && kind === 0) kept.push(blockText);
    blocks[i] = {
      start,
      end,
      text: blockText,
      exact: hex.slice(h, h + 16),
      simhash: hex.slice(h + 16, h + 32),
      tokens: numbers[o + 2],
      verdict: kind === 0 ? "keep" : "remove",
      reason,
    };
  }
  return { text: kept === null ? text : kept.join("\n\n"), blocks, stats };
}

// The blocks at `spans` (start, end pairs of UTF-16 indices) joined by a blank line.
export function joinBlocks(input, spans) {
  const parts = new Array(spans.length >> 1);
  for (let i = 0; i < parts.length; i++) parts[i] = input.slice(spans[2 * i], spans[2 * i + 1]);
  return parts.join("\n\n");
}

const encoder = new TextEncoder();

// Encodes `input` from UTF-16 index `from` into `dest` (a view of WebAssembly memory);
// returns [UTF-16 units read, bytes written].
export function encodeInto(input, from, dest) {
  const { read, written } = encoder.encodeInto(from === 0 ? input : input.slice(from), dest);
  return [read, written];
}
