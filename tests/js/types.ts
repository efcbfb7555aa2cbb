// Compiled by `tsc --noEmit` in scripts/test: the package's types are real, not `any`.
import init, { clean, cleanToText, Cleaner, decodeHtml, loadDecoder, fingerprint, siteKey, sniff, SiteModel, type Block, type Decoded, type Options, type PageOptions, type Report, type TemplateBlock } from "../../pkg/boildown.js";

export async function use(input: string): Promise<number> {
  await init();
  const options: Options = { policy: "remove_all", near_distance: 8 };
  const report: Report = clean(input, options);
  clean(input);
  clean(input, null);
  const first: Block | undefined = report.blocks[0];
  const removed = report.blocks.filter((b) => b.verdict === "remove");
  for (const b of removed) {
    if (b.reason?.kind === "site_template") {
      const pages: number = b.reason.pages;
      const of: number = b.reason.of;
      void pages, of;
    } else if (b.reason !== null && b.reason.kind !== "boilerplate") {
      const kind: "exact_repeat" | "near_repeat" = b.reason.kind;
      const source: number = b.reason.run?.source ?? b.reason.of;
      void kind, source;
    } else if (b.reason !== null) {
      const rule: string = b.reason.rule;
      const score: number = b.reason.score;
      void rule, score;
    }
  }
  const page: Report = clean(input, { ...options, format: "html", url: "https://example.org/" });
  const cleanedHtml: string | undefined = page.html;
  const title: string | null | undefined = page.title;
  const format: "html" | "text" = sniff(input);
  const text: string = cleanToText(input, { format: "text" });
  void title, format, text;
  const path: string | undefined = page.blocks[0]?.html?.path;
  void cleanedHtml, path;
  const hex: string = fingerprint(input).simhash;
  const kept: number = new Cleaner({ dedup_only: true }).clean(input).stats.kept;
  const model = new SiteModel();
  const added: boolean = model.observe(input, { site: "example.org" });
  const template: TemplateBlock[] = model.template("example.org", 2);
  const sites: string[] = model.sites();
  const bytes: Uint8Array = model.toBytes();
  const where: PageOptions = { format: "html", site: "example.org", model: SiteModel.fromBytes(bytes) };
  const inSite: Report = new Cleaner().clean(input, where);
  const templateCount: number = inSite.stats.site_template;
  const key: string | undefined = siteKey("https://example.org/");
  void added, template, sites, templateCount, key;
  void first, hex;
  const raw = new TextEncoder().encode(input);
  const loading: Promise<void> = loadDecoder();
  await loading;
  await loadDecoder(new Uint8Array(0));
  const decoded: Decoded = decodeHtml(raw, "iso-8859-1");
  const rule: "bom" | "hint" | "meta" | "utf8" | "detected" = decoded.source;
  const overruled: string | null = decoded.overruled;
  const fromBytes: Report = clean(raw, { charset: "windows-1252" });
  const encoding: string | undefined = fromBytes.decoding?.encoding;
  void rule, overruled, encoding;

  // @ts-expect-error: unknown option
  clean(input, { nearDistance: 3 });
  // @ts-expect-error: ill-typed option
  clean(input, { near_distance: "3" });
  // @ts-expect-error: not a policy
  clean(input, { policy: "keep_last" });
  // @ts-expect-error: verdicts are "keep" or "remove"
  const bad: "boilerplate" = report.blocks[0].verdict;
  void bad;
  // @ts-expect-error: not a format
  clean(input, { format: "xml" });
  // @ts-expect-error: a cleaner's page options hold no cleaner options
  new Cleaner().clean(input, { near_distance: 3 });
  // @ts-expect-error: decodeHtml takes bytes
  decodeHtml(input);
  // @ts-expect-error: stats are numbers
  const s: string = report.stats.blocks;
  void s;
  return kept;
}
