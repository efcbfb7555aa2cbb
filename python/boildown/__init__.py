"""boildown: boils scraped web pages down to their own content.

It cuts a page into blocks, fingerprints every block, and removes what repeats inside
the page, the page furniture a learned classifier finds, and (given the site's other
pages) the site's template, with a reason for every block. The core is the Rust
library's, so a page gives the same blocks, fingerprints and verdicts here as in Rust
and in JavaScript.

>>> import boildown
>>> cleaned = boildown.clean("Top stories\\nThe council met on Monday.\\nTop stories")
>>> cleaned.text
'Top stories\\n\\nThe council met on Monday.'
>>> cleaned.to_dict()["blocks"][2]["reason"]["kind"]
'exact_repeat'

- `clean(page, **options)`, `Cleaner(**options)` (`.clean`, `.clean_many` on several
  threads), `Page`: a page is a `str` or `bytes` (decoded as natively);
- `SiteModel`: per-site block counts (observe, template, merge, `to_bytes`/`from_bytes`
  in the snapshot format of Rust and JavaScript);
- `read(path)`, `inputs(paths)`: the corpus command's readers (WARC, WET, JSONL);
- `CorpusJob`: the corpus command's work on one file (the Spark job's bricks);
- `boildown.spark`: `boildown corpus` on Apache Spark; `boildown.datatrove`: a datatrove
  extractor step.

Options are keyword arguments with the Rust names; an unknown or ill-typed one is a
`boildown.Error`, a `ValueError` that names it.
"""

from ._core import (
    OPTIONS,
    Cleaned,
    Cleaner,
    CorpusJob,
    Document,
    Error,
    Page,
    Records,
    Rejected,
    SiteModel,
    Skipped,
    __version__,
    clean,
    fingerprint,
    inputs,
    jaccard,
    merge_models,
    merge_snapshots,
    near_attach,
    near_links,
    near_pairs,
    read,
)

__all__ = [
    "OPTIONS",
    "Cleaned",
    "Cleaner",
    "CorpusJob",
    "Document",
    "Error",
    "Page",
    "Records",
    "Rejected",
    "SiteModel",
    "Skipped",
    "__version__",
    "clean",
    "fingerprint",
    "inputs",
    "jaccard",
    "merge_models",
    "merge_snapshots",
    "near_attach",
    "near_links",
    "near_pairs",
    "read",
]
