"""Type stubs of the extension module (python/src/*.rs), checked with mypy --strict."""

import os
from typing import Any, Iterable, Iterator, Literal, Optional, Sequence, Tuple, TypedDict, Union

__version__: str
OPTIONS: list[str]

Body = Union[str, bytes, bytearray, memoryview]
PageLike = Union[Body, "Page"]
Format = Literal["auto", "text", "html"]
Policy = Literal["keep_first", "remove_all"]

class Error(ValueError):
    """An unknown or ill-typed option, a bad value, or a damaged snapshot."""

class Stats(TypedDict):
    blocks: int
    kept: int
    exact_repeats: int
    near_repeats: int
    boilerplate: int
    site_template: int

class Decoding(TypedDict):
    encoding: str
    source: Literal["bom", "hint", "meta", "utf8", "detected"]
    overruled: Optional[str]
    replaced: int

class Page:
    """A page with what is known of it: content, format, URL, charset, site key."""

    def __init__(
        self,
        body: Body,
        *,
        format: Format = "auto",
        url: Optional[str] = None,
        charset: Optional[str] = None,
        site: Optional[str] = None,
    ) -> None: ...
    @property
    def body(self) -> Body: ...
    @property
    def format(self) -> Format: ...
    @property
    def url(self) -> Optional[str]: ...
    @property
    def charset(self) -> Optional[str]: ...
    @property
    def site(self) -> Optional[str]: ...

class Cleaned:
    """The result of cleaning one page."""

    @property
    def text(self) -> str: ...
    @property
    def title(self) -> Optional[str]: ...
    @property
    def format(self) -> Literal["text", "html"]: ...
    @property
    def site(self) -> Optional[str]: ...
    @property
    def source(self) -> Optional[str]: ...
    @property
    def html(self) -> str: ...
    @property
    def stats(self) -> Stats: ...
    @property
    def decoding(self) -> Optional[Decoding]: ...
    @property
    def blocks(self) -> list[dict[str, Any]]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

class Cleaner:
    """Cleans pages with one set of options; build it once, use it from any thread."""

    def __init__(
        self,
        *,
        policy: Optional[Policy] = None,
        near_repeats: Optional[bool] = None,
        near_distance: Optional[int] = None,
        near_min_tokens: Optional[int] = None,
        dedup_only: Optional[bool] = None,
        html_recovery: Optional[bool] = None,
    ) -> None: ...
    @property
    def options(self) -> dict[str, Any]: ...
    def clean(
        self,
        page: PageLike,
        *,
        format: Format = "auto",
        url: Optional[str] = None,
        charset: Optional[str] = None,
        site: Optional[str] = None,
        model: Optional["SiteModel"] = None,
    ) -> Cleaned: ...
    def clean_many(
        self,
        pages: Iterable[PageLike],
        *,
        model: Optional["SiteModel"] = None,
        threads: Optional[int] = None,
    ) -> list[Cleaned]: ...

def clean(
    page: PageLike,
    *,
    format: Format = "auto",
    url: Optional[str] = None,
    charset: Optional[str] = None,
    site: Optional[str] = None,
    model: Optional["SiteModel"] = None,
    policy: Optional[Policy] = None,
    near_repeats: Optional[bool] = None,
    near_distance: Optional[int] = None,
    near_min_tokens: Optional[int] = None,
    dedup_only: Optional[bool] = None,
    html_recovery: Optional[bool] = None,
) -> Cleaned: ...

class Fingerprints(TypedDict):
    exact: str
    simhash: str
    tokens: int

def fingerprint(text: str) -> Fingerprints: ...

class TemplateBlock(TypedDict):
    text: Optional[str]
    pages: int
    fingerprint: str

class Memory(TypedDict):
    sites: int
    blocks: int
    candidates: int
    bytes: int

class Budget(TypedDict):
    blocks_per_site: int
    pages_per_site: int

class SiteModel:
    """Per-site counts of block fingerprints over distinct pages."""

    def __init__(
        self,
        *,
        blocks_per_site: Optional[int] = None,
        pages_per_site: Optional[int] = None,
        partial: bool = False,
    ) -> None: ...
    def observe(
        self,
        page: PageLike,
        *,
        format: Format = "auto",
        url: Optional[str] = None,
        charset: Optional[str] = None,
        site: Optional[str] = None,
    ) -> bool: ...
    def pages(self, site: str) -> int: ...
    def count(self, site: str, exact: str) -> int: ...
    def sites(self) -> list[str]: ...
    def template(self, site: str, min_pages: int = 2) -> list[TemplateBlock]: ...
    def merge(self, other: "SiteModel") -> None: ...
    def split(self) -> list[Tuple[str, "SiteModel"]]: ...
    @property
    def partial(self) -> bool: ...
    @property
    def budget(self) -> Budget: ...
    def memory(self) -> Memory: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(
        data: bytes,
        *,
        blocks_per_site: Optional[int] = None,
        pages_per_site: Optional[int] = None,
    ) -> "SiteModel": ...

def merge_snapshots(
    snapshots: Sequence[bytes],
    *,
    partial: bool,
    blocks_per_site: Optional[int] = None,
    pages_per_site: Optional[int] = None,
) -> bytes: ...

PositionKind = Literal["offset", "line"]

class Document:
    """A page of an input."""

    @property
    def id(self) -> Optional[str]: ...
    @property
    def url(self) -> Optional[str]: ...
    @property
    def format(self) -> Format: ...
    @property
    def charset(self) -> Optional[str]: ...
    @property
    def body(self) -> bytes: ...
    @property
    def position_kind(self) -> PositionKind: ...
    @property
    def position(self) -> int: ...
    @property
    def extra(self) -> dict[str, str]: ...
    def page(self) -> Page: ...

class Skipped:
    """A record of another kind: counted, not cleaned."""

    @property
    def kind(self) -> str: ...
    @property
    def position_kind(self) -> PositionKind: ...
    @property
    def position(self) -> int: ...

class Rejected:
    """A part of an input that could not be read, and why."""

    @property
    def reason(self) -> str: ...
    @property
    def position_kind(self) -> PositionKind: ...
    @property
    def position(self) -> int: ...

Record = Union[Document, Skipped, Rejected]

class Records(Iterator[Record]):
    def __iter__(self) -> "Records": ...
    def __next__(self) -> Record: ...

StrPath = Union[str, "os.PathLike[str]"]

def read(
    path: StrPath,
    *,
    id_field: Optional[str] = None,
    url_field: Optional[str] = None,
    html_field: Optional[str] = None,
    text_field: Optional[str] = None,
    max_page_bytes: Optional[int] = None,
) -> Records: ...
def inputs(paths: Sequence[StrPath]) -> list[str]: ...
def jaccard(a: bytes, b: bytes) -> float: ...
def reason_class(reason: str) -> str: ...

class Prepared(TypedDict):
    documents: int
    records: int
    page_bytes: int
    skipped: dict[str, int]
    rejects: list[Tuple[PositionKind, int, str]]
    readable: bool
    extra_names: list[str]

class Finished(TypedDict, total=False):
    parts: list[Tuple[bytes, bytes, bytes]]
    rows: bytes

class Written(TypedDict):
    written: int
    cleaned: int
    duplicates: int
    text_bytes: int
    stats: list[int]
    rejects: list[Tuple[PositionKind, int, str]]

class CorpusJob:
    """The corpus command's work on one input file, with its options."""

    def __init__(self, **options: Any) -> None: ...
    @property
    def sites(self) -> bool: ...
    @property
    def dedup(self) -> bool: ...
    @property
    def budget(self) -> Budget: ...
    @property
    def max_comparisons(self) -> int: ...
    @property
    def threshold(self) -> float: ...
    def prepare_file(self, path: StrPath, spill: StrPath, keep: bool) -> Prepared: ...
    def spilled_models(self, spill: StrPath) -> list[Tuple[str, bytes]]: ...
    def finish_file(
        self,
        path: StrPath,
        models: Sequence[bytes],
        file: int,
        parts: int,
        *,
        pages: Optional[StrPath] = None,
        rows: Optional[StrPath] = None,
    ) -> Finished: ...
    def write_part(
        self,
        rows: Union[bytes, StrPath],
        file: int,
        dups: Sequence[bytes],
        firsts: Sequence[int],
        extra_names: Sequence[str],
        path: StrPath,
        *,
        drop_dups: bool = False,
    ) -> Written: ...

def merge_models(
    records: Sequence[Tuple[str, int, int, Sequence[int], bytes]],
    *,
    partial: bool,
    blocks_per_site: Optional[int] = None,
    pages_per_site: Optional[int] = None,
) -> list[Tuple[str, int, list[int], bytes]]: ...
def near_pairs(keys: Sequence[bytes], parts: int) -> list[bytes]: ...
def near_attach(shingles: Sequence[bytes], pairs: Sequence[bytes], parts: int) -> list[bytes]: ...
def near_links(shingles: Sequence[bytes], attached: Sequence[bytes], threshold: float, parts: int) -> list[bytes]: ...
def star_round(ids: Sequence[bytes], arcs: Sequence[bytes], parts: int) -> Tuple[int, int, list[Tuple[int, bytes]], list[bytes]]: ...
def star_small(arcs: Sequence[bytes], parts: int) -> list[bytes]: ...
