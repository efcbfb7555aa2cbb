"""A datatrove pipeline step that replaces its Trafilatura extractor with boildown.

>>> from datatrove.executor import LocalPipelineExecutor
>>> from datatrove.pipeline.readers import WarcReader
>>> from datatrove.pipeline.writers import JsonlWriter
>>> from boildown.datatrove import Boildown
>>> LocalPipelineExecutor(pipeline=[
...     WarcReader("crawl/"),
...     Boildown(),                 # in place of Trafilatura(favour_precision=True)
...     JsonlWriter("out/"),
... ], tasks=4).run()  # doctest: +SKIP

Each document's `text` (its HTML, as datatrove's readers give it) becomes boildown's
cleaned text; `metadata["boildown"]` holds the page's `title`, `format` and `stats` (the
blocks, kept, and removed by reason). A document whose cleaned text is empty is dropped,
as the Trafilatura step drops it. With a `SiteModel` (learned beforehand, e.g. by
`boildown corpus --model` or the Spark job), each page is cleaned in its site, from its
`metadata["url"]`.

Unlike datatrove's extractors, the step does not run each document in a sandbox process
with a timeout: boildown's time is linear in the page, and a page it cannot clean (a
bug, caught) is counted as `clean_error` and dropped, as the Trafilatura step does.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.extractors.base import BaseExtractor
from datatrove.utils.typeshelper import StatHints

import boildown


class Boildown(BaseExtractor):  # type: ignore[misc]
    """boildown as datatrove's extractor step: HTML in `Document.text` → cleaned text.

    Args:
        model: a `SiteModel` to clean each page in its site (from `metadata["url"]`).
        format: what `Document.text` is: "html" (datatrove's readers), "text" or "auto".
        **options: the cleaner's options (`boildown.Cleaner`), with the Rust names.
    """

    name = "🥣 boildown"

    def __init__(
        self,
        *,
        model: Optional[boildown.SiteModel] = None,
        format: Literal["auto", "text", "html"] = "html",
        **options: Any,
    ):
        super().__init__(timeout=0)
        self.cleaner = boildown.Cleaner(**options)
        self.model = model
        self.format = format
        boildown.Page("", format=format)  # checks `format` now, not at the first page

    def extract(self, text: str) -> str:
        """The cleaned text of one page (datatrove's extractor interface)."""
        return self.cleaner.clean(text, format=self.format).text

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                url = doc.metadata.get("url") if self.model is not None else None
                try:
                    cleaned = self.cleaner.clean(
                        doc.text,
                        format=self.format,
                        url=url if isinstance(url, str) else None,
                        model=self.model,
                    )
                except (boildown.Error, TypeError) as e:
                    self.stat_update("clean_error")
                    if not getattr(self, "_warned_error", False):
                        from datatrove.utils.logging import logger

                        logger.warning(f'❌ Error "{e}" while cleaning record text. Skipping record.')
                        self._warned_error = True
                    continue
                self.stat_update("extracted")
            doc.text = cleaned.text
            doc.metadata["boildown"] = {"title": cleaned.title, "format": cleaned.format, "stats": dict(cleaned.stats)}
            if doc.text:
                self.stat_update(StatHints.forwarded)
                self.update_doc_stats(doc)
                yield doc
            else:
                self.stat_update(StatHints.dropped)
