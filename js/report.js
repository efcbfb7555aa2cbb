// Builds the report object of `clean` from the numbers src/wasm.rs hands over: one
// string per block sliced from the caller's input (no copy out of WebAssembly memory),
// fingerprints as 16 hex digits. Keep in step with `report()` in src/wasm.rs.

const STRIDE = 13;
const KINDS = [null, "exact_repeat", "near_repeat"];

function hex(hi, lo) {
  return hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0");
}

export function buildReport(input, text, numbers, stats) {
  const count = numbers.length / STRIDE;
  const blocks = new Array(count);
  for (let i = 0, o = 0; i < count; i++, o += STRIDE) {
    const start = numbers[o];
    const end = numbers[o + 1];
    const kind = numbers[o + 7];
    let reason = null;
    if (kind !== 0) {
      const runLen = numbers[o + 11];
      reason = {
        kind: KINDS[kind],
        of: numbers[o + 8],
        distance: numbers[o + 9],
        run: runLen === 0 ? null : { start: numbers[o + 10], len: runLen, source: numbers[o + 12] },
      };
    }
    blocks[i] = {
      start,
      end,
      text: input.slice(start, end),
      exact: hex(numbers[o + 3], numbers[o + 4]),
      simhash: hex(numbers[o + 5], numbers[o + 6]),
      tokens: numbers[o + 2],
      verdict: kind === 0 ? "keep" : "remove",
      reason,
    };
  }
  return { text, blocks, stats };
}
