// Builds the report object of `clean` from what src/wasm/mod.rs `report()` hands over (keep
// the two in step): the caller's input; the counts of the stats
// (near_comparisons as high and low halves, site_template last); per block the numbers
//   start, end, tokens, code   (UTF-16 indices; code = kind | distance << 2 | hasRun << 9,
//                               kind 0 for a kept block; kind 3 furniture: rule << 2,
//                               rule 5 the site's template, then pages, of)
//   of                          (removed blocks only)
//   run.start, run.len, run.source   (blocks in a run only)
// and both fingerprints of every block as 32 hex digits. Each block's text is sliced
// from the caller's own string: no copy out of WebAssembly memory, and
// `input.slice(start, end) === text` by construction. The cleaned text is the kept
// blocks joined by a blank line, as the core writes it.

const KINDS = [null, "exact_repeat", "near_repeat", "boilerplate"];
const RULES = [
  "outside_main_content",
  "link_text",
  "in_furniture",
  "low_content_score",
  "no_main_content",
];

export function buildReport(input, numbers, hex) {
  const stats = {
    blocks: numbers[0],
    kept: numbers[1],
    exact_repeats: numbers[2],
    near_repeats: numbers[3],
    boilerplate: numbers[4],
    runs: numbers[5],
    bytes_in: numbers[6],
    bytes_out: numbers[7],
    near_comparisons: numbers[8] * 2 ** 32 + numbers[9],
    near_search_truncated: numbers[10] !== 0,
    site_template: numbers[11],
  };
  const count = hex.length / 32;
  const blocks = new Array(count);
  // The cleaned text, concatenated as it goes: V8 keeps it as a rope and copies it
  // once, when it is first read (Array.join copied every piece at once, 3x slower).
  let text = "";
  for (let i = 0, o = 12, h = 0; i < count; i++, h += 32) {
    const start = numbers[o];
    const end = numbers[o + 1];
    const tokens = numbers[o + 2];
    const code = numbers[o + 3];
    o += 4;
    const kind = code & 3;
    let reason = null;
    if (kind === 3 && code >> 2 === 5) {
      reason = { kind: "site_template", pages: numbers[o], of: numbers[o + 1], score: 0 };
      o += 2;
    } else if (kind === 3) {
      reason = { kind: "boilerplate", rule: RULES[code >> 2] };
    } else if (kind !== 0) {
      const of = numbers[o];
      let run = null;
      if (code & 512) {
        run = { start: numbers[o + 1], len: numbers[o + 2], source: numbers[o + 3] };
        o += 3;
      }
      o += 1;
      reason = { kind: KINDS[kind], of, distance: (code >> 2) & 127, run };
    }
    const blockText = input.slice(start, end);
    if (kind === 0) text = text === "" ? blockText : text + "\n\n" + blockText;
    blocks[i] = {
      start,
      end,
      text: blockText,
      exact: hex.slice(h, h + 16),
      simhash: hex.slice(h + 16, h + 32),
      tokens,
      verdict: kind === 0 ? "keep" : "remove",
      reason,
    };
  }
  return { text, blocks, stats };
}

// The blocks at `spans` (start, end pairs of UTF-16 indices) joined by a blank line.
export function joinBlocks(input, spans) {
  let joined = "";
  for (let i = 0; i < spans.length; i += 2) {
    const part = input.slice(spans[i], spans[i + 1]);
    joined = i === 0 ? part : joined + "\n\n" + part;
  }
  return joined;
}

const encoder = new TextEncoder();

// Encodes `input` from UTF-16 index `from` into `dest` (a view of WebAssembly memory);
// returns [UTF-16 units read, bytes written].
export function encodeInto(input, from, dest) {
  const { read, written } = encoder.encodeInto(from === 0 ? input : input.slice(from), dest);
  return [read, written];
}
