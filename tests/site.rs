//! Site memory on pages of our own: a small news site whose pages share a menu, a
//! footer, a newsletter box and an "Editor's choice" teaser of one story. On that
//! story's own page the teaser's headline and first paragraph are its headline and
//! lead: they must stay there, and go everywhere else.

use boildown::{Cleaner, Reason, SiteModel};

const SITE: &str = "coast-gazette.example";

/// (headline, paragraphs) of the site's stories.
const STORIES: &[(&str, &[&str])] = &[
    (
        "Harbour reopens after two years of works on the sea wall",
        &[
            "The old harbour reopened on Saturday, two years after the council closed it for repairs to the sea wall, the quays and the fish market.",
            "Fishermen, who had moored in the next town during the works, said the new quays were wider, safer and easier to unload at, though the berths cost more.",
            "The council's engineer said the sea wall had been rebuilt to withstand the storms of the last winters, which twice flooded the market and the streets behind it.",
            "Traders in the old town hope the reopening will bring back the visitors, the yachts and the Sunday market, which moved inland during the works.",
        ],
    ),
    (
        "Council votes to keep the night buses running through the winter",
        &[
            "The council voted on Tuesday to keep the three night bus routes running until March, reversing a plan to cut them when the summer timetable ended.",
            "Nurses, bar staff and cleaners who work late shifts had signed a petition of four thousand names, and packed the public gallery for the vote.",
            "The routes will cost the council about two hundred thousand euros more than planned, which it will take from the budget for new cycle lanes.",
            "The bus company said it would add a stop at the hospital, where most of the late passengers start or end their journeys.",
        ],
    ),
    (
        "School on the hill gets its first new roof in sixty years",
        &[
            "Pupils at the school on the hill returned from the holidays to classrooms that no longer leak, after builders replaced the roof over the summer.",
            "The headteacher said buckets had stood in three classrooms every rainy day for as long as anyone could remember, and that the gym had been closed twice.",
            "The new roof carries solar panels that should cover a third of the school's electricity, and a drain that takes rain water to the garden.",
            "Parents raised a tenth of the cost with a sale of old desks and chairs, which went to homes, cafés and a theatre in the capital.",
        ],
    ),
    (
        "Storm closes the coast road for a day as waves top the wall",
        &[
            "The coast road was closed for most of Thursday after waves carried stones and sand over the wall between the lighthouse and the old mill.",
            "Police turned cars back at both ends of the road, and the school bus took the long way inland, which added forty minutes to the journey.",
            "Workers cleared the road overnight and it reopened at six on Friday morning, although one lane near the mill will stay shut for repairs.",
            "The council said the new section of sea wall by the harbour had held, and that the old wall by the mill would be rebuilt next year.",
        ],
    ),
    (
        "Fish market hall will open in June once its cold rooms pass inspection",
        &[
            "The new fish market hall by the harbour will open in June, the council said, once inspectors have checked its cold rooms and its drains.",
            "Twelve stalls have been let to families who sold fish from the old market, and four more will go to growers of fruit and vegetables from the valley.",
            "The hall has a roof terrace with a café, which the council hopes will bring in visitors in the evenings, when the market itself is closed.",
            "Its opening was delayed by a month when a cold room failed its first test, after a fault in the wiring that the builder has since repaired.",
        ],
    ),
];

/// The story all pages tease.
const TEASED: usize = 4;

fn page(story: usize) -> String {
    let (headline, paragraphs) = STORIES[story];
    let (teased_headline, teased) = STORIES[TEASED];
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html><html><head><title>{headline} | The Coast Gazette</title>
<link rel="canonical" href="https://www.{SITE}/news/{story}"></head><body>
<header><div class="logo">The Coast Gazette</div><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<div class="wrap"><main><article>
<h1>{headline}</h1>
<p class="byline">By the news desk</p>
{body}</article></main>
<aside class="sidebar">
<div class="editors-choice"><h2>Editor's choice</h2><h3><a href="/news/{TEASED}">{teased_headline}</a></h3><p>{first}</p></div>
<div class="newsletter"><p>Sign up to our newsletter: the week's stories from the coast, every Friday morning, free, and you can leave whenever you like.</p></div>
</aside></div>
<footer><p>The Coast Gazette is published by the Coast Media Cooperative, registered in the harbour district. All rights reserved. Contact the newsroom by email or post.</p></footer>
</body></html>"#,
        first = teased[0]
    )
}

fn kept(cleaned: &boildown::Cleaned) -> Vec<String> {
    cleaned
        .blocks()
        .iter()
        .filter(|b| b.verdict.is_keep())
        .map(|b| b.text().to_owned())
        .collect()
}

#[test]
fn leads_stay_on_their_own_page_and_teasers_go_elsewhere() {
    let cleaner = Cleaner::default();
    let model = SiteModel::new();
    let pages: Vec<String> = (0..STORIES.len()).map(page).collect();
    for p in &pages {
        assert!(model.observe(boildown::Page::html(p).with_site(SITE)));
    }
    let (teased_headline, teased) = STORIES[TEASED];
    for (i, p) in pages.iter().enumerate() {
        let cleaned = cleaner.clean(boildown::Page::html(p).with_site(SITE), &model);
        let kept = kept(&cleaned);
        // The page's own story stays, all of it.
        for paragraph in STORIES[i].1 {
            assert!(
                kept.iter().any(|k| k == paragraph),
                "page {i} lost {paragraph:?}: {kept:?}"
            );
        }
        // The teased story's lead: kept once on its own page, nowhere else.
        let leads = kept.iter().filter(|k| *k == teased[0]).count();
        assert_eq!(leads, usize::from(i == TEASED), "page {i}: {kept:?}");
        if i != TEASED {
            assert!(
                !kept.iter().any(|k| k == teased_headline),
                "page {i}: {kept:?}"
            );
        }
        // The template goes, with the site as evidence.
        for furniture in [
            "Sign up to our newsletter",
            "Coast Media Cooperative",
            "Editor's choice",
        ] {
            assert!(
                !kept.iter().any(|k| k.contains(furniture)),
                "page {i} kept {furniture}"
            );
        }
        let newsletter = cleaned
            .blocks()
            .iter()
            .find(|b| b.text().starts_with("Sign up"))
            .unwrap();
        match newsletter.verdict.reason() {
            Some(Reason::SiteTemplate(t)) => assert_eq!((t.pages, t.of), (5, 5)),
            Some(Reason::Boilerplate(_)) => {} // the single page finder had it already
            other => panic!("page {i}: newsletter {other:?}"),
        }
    }
}

#[test]
fn batch_results_do_not_depend_on_page_order() {
    let cleaner = Cleaner::default();
    let pages: Vec<String> = (0..STORIES.len()).map(page).collect();
    let (forward, backward) = (SiteModel::new(), SiteModel::new());
    for p in &pages {
        forward.observe(boildown::Page::html(p).with_site(SITE));
    }
    for p in pages.iter().rev() {
        backward.observe(boildown::Page::html(p).with_site(SITE));
    }
    assert_eq!(forward.to_bytes(), backward.to_bytes());
    for p in &pages {
        let a = cleaner.clean(boildown::Page::html(p).with_site(SITE), &forward);
        let b = cleaner.clean(boildown::Page::html(p).with_site(SITE), &backward);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }
}

#[test]
fn incremental_use_starts_as_single_page_and_learns() {
    let cleaner = Cleaner::default();
    let model = SiteModel::new();
    let pages: Vec<String> = (0..STORIES.len()).map(page).collect();
    let mut site_template = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let cleaned = cleaner.clean(boildown::Page::html(p).with_site(SITE), &model);
        if i == 0 {
            // Nothing known of the site yet: the single-page finder, unchanged.
            let alone = cleaner.clean(boildown::Page::html(p), None);
            assert_eq!(
                serde_json::to_string(&cleaned).unwrap(),
                serde_json::to_string(&alone).unwrap()
            );
        }
        site_template.push(cleaned.stats().site_template);
        assert!(model.observe_cleaned(SITE, &cleaned));
        // Cleaning a page the model has seen gives what cleaning it before gave.
        let again = cleaner.clean(boildown::Page::html(p).with_site(SITE), &model);
        if i > 0 {
            assert_eq!(again.text(), cleaned.text(), "page {i}");
        }
    }
    assert_eq!(site_template[0], 0);
    assert!(
        site_template[1..].iter().all(|n| *n > 0),
        "{site_template:?}"
    );
}

#[test]
fn plain_text_pages_keep_their_leads() {
    // The seed fixture's kind of page, as text: the teased story's headline and lead
    // stand under "Editor's choice" on every page but its own.
    let cleaner = Cleaner::default();
    let model = SiteModel::new();
    let (teased_headline, teased) = STORIES[TEASED];
    let pages: Vec<String> = (0..STORIES.len())
        .map(|i| {
            let (headline, paragraphs) = STORIES[i];
            let mut lines = vec!["The Coast Gazette".to_owned(), "Home News Sport Weather".into(), headline.into()];
            lines.extend(paragraphs.iter().map(|p| p.to_string()));
            lines.extend(["Editor's choice".to_owned(), teased_headline.into(), teased[0].into()]);
            lines.push("Sign up to our newsletter: the week's stories from the coast, every Friday morning.".into());
            lines.join("\n")
        })
        .collect();
    for p in &pages {
        model.observe(boildown::Page::text(p).with_site(SITE));
    }
    for (i, p) in pages.iter().enumerate() {
        let cleaned = cleaner.clean(boildown::Page::text(p).with_site(SITE), &model);
        let kept = kept(&cleaned);
        assert_eq!(
            kept.first().map(String::as_str),
            Some(STORIES[i].0),
            "page {i}: {kept:?}"
        );
        for paragraph in STORIES[i].1 {
            assert!(
                kept.iter().any(|k| k == paragraph),
                "page {i} lost {paragraph:?}"
            );
        }
        assert!(
            !kept
                .iter()
                .any(|k| k.starts_with("Sign up") || k == "Editor's choice"),
            "page {i}: {kept:?}"
        );
        assert_eq!(
            kept.iter().filter(|k| *k == teased[0]).count(),
            usize::from(i == TEASED),
            "page {i}: {kept:?}"
        );
    }
}

mod properties {
    use boildown::{Cleaner, SiteModel};
    use proptest::prelude::*;

    /// A block's text from a small vocabulary, so that pages share blocks (letters,
    /// not digits: normalization maps every digit to one).
    fn text(n: u8) -> String {
        let word = |k: u8| char::from(b'a' + k % 26).to_string().repeat(3);
        format!("{} {} block", word(n), word(n / 26))
    }

    /// Pages: a site (of three) and the vocabulary numbers of its blocks.
    fn pages() -> impl Strategy<Value = Vec<(u8, Vec<u8>)>> {
        prop::collection::vec((0u8..3, prop::collection::vec(0u8..40, 1..12)), 1..24)
    }

    fn page_text(blocks: &[u8]) -> String {
        blocks
            .iter()
            .map(|b| text(*b))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Everything the model counts: per site its pages and the count of every block
    /// of the vocabulary.
    fn counts(model: &SiteModel) -> Vec<(String, u32, Vec<u32>)> {
        model
            .sites()
            .into_iter()
            .map(|site| {
                let blocks = (0..40u8)
                    .map(|n| model.count(&site, boildown::fingerprint(&text(n)).exact))
                    .collect();
                (site.clone(), model.pages(&site), blocks)
            })
            .collect()
    }

    fn site_name(n: u8) -> String {
        format!("site-{}.example", n)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The same pages in any order give the same counts, the same snapshot, and
        /// the same cleaning of every page.
        #[test]
        fn page_order_does_not_matter(pages in pages(), seed in any::<u64>()) {
            let mut shuffled = pages.clone();
            // A deterministic shuffle from the seed.
            let mut state = seed | 1;
            for i in (1..shuffled.len()).rev() {
                state ^= state << 13; state ^= state >> 7; state ^= state << 17;
                shuffled.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let (a, b) = (SiteModel::new(), SiteModel::new());
            for (site, blocks) in &pages {
                a.observe(boildown::Page::text(&page_text(blocks)).with_site(site_name(*site).as_str()));
            }
            for (site, blocks) in &shuffled {
                b.observe(boildown::Page::text(&page_text(blocks)).with_site(site_name(*site).as_str()));
            }
            prop_assert_eq!(counts(&a), counts(&b));
            prop_assert_eq!(a.to_bytes(), b.to_bytes());
            let cleaner = Cleaner::default();
            for (site, blocks) in &pages {
                let page = page_text(blocks);
                let site = site_name(*site);
                prop_assert_eq!(
                    cleaner.clean(boildown::Page::text(&page).with_site(site.as_str()), &a).into_text(),
                    cleaner.clean(boildown::Page::text(&page).with_site(site.as_str()), &b).into_text()
                );
            }
        }

        /// Two shards that saw disjoint pages merge, in either order, into the counts
        /// of one model over all pages; a snapshot round trip changes nothing.
        #[test]
        fn merged_shards_equal_one_model(pages in pages(), split in any::<u32>()) {
            let (all, left, right) = (SiteModel::new(), SiteModel::new(), SiteModel::new());
            let mut seen = std::collections::HashSet::new();
            for (i, (site, blocks)) in pages.iter().enumerate() {
                // Shards see disjoint pages: a page both saw would count twice. (A page is
                // known by its set of blocks.)
                let mut set = blocks.clone();
                set.sort_unstable();
                set.dedup();
                if !seen.insert((*site, set)) {
                    continue;
                }
                let (site, page) = (site_name(*site), page_text(blocks));
                all.observe(boildown::Page::text(&page).with_site(site.as_str()));
                if split >> (i % 32) & 1 == 0 { &left } else { &right }.observe(boildown::Page::text(&page).with_site(site.as_str()));
            }
            let left_then_right = SiteModel::new();
            left_then_right.merge(&left);
            left_then_right.merge(&right);
            right.merge(&left);
            prop_assert_eq!(counts(&left_then_right), counts(&all));
            prop_assert_eq!(counts(&right), counts(&all));
            let back = SiteModel::from_bytes(&right.to_bytes()).unwrap();
            prop_assert_eq!(back.to_bytes(), right.to_bytes());
        }
    }
}

/// The demo's sample site (`www/samples/site/`) is these pages; `BLESS=1 cargo test
/// --test site` writes them.
#[test]
fn the_demo_sample_site_is_these_pages() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www/samples/site");
    for i in 0..STORIES.len() {
        let path = dir.join(format!("story-{i}.html"));
        if std::env::var_os("BLESS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, page(i)).unwrap();
        }
        let on_disk = std::fs::read_to_string(&path).expect("BLESS=1 cargo test --test site");
        assert_eq!(
            on_disk,
            page(i),
            "{} is stale: BLESS=1 cargo test --test site",
            path.display()
        );
    }
}

/// The snapshot of the sample site, the bytes the WebAssembly package must write too
/// (`tests/js/package.test.mjs`); `BLESS=1 cargo test --test site` writes it.
#[test]
fn the_sample_site_snapshot_is_current() {
    let model = SiteModel::new();
    for i in 0..STORIES.len() {
        model.observe(boildown::Page::html(&page(i)).with_site(SITE));
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/coast-gazette.site-model");
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, model.to_bytes()).unwrap();
    }
    let on_disk = std::fs::read(&path).expect("BLESS=1 cargo test --test site");
    assert_eq!(
        on_disk,
        model.to_bytes(),
        "{} is stale: BLESS=1 cargo test --test site",
        path.display()
    );
}

#[test]
fn a_template_block_with_a_word_changed_is_matched_by_its_simhash() {
    let footer = "The Coast Gazette is published by the Coast Media Cooperative, registered in the harbour district, all rights reserved, contact the newsroom by email or by post";
    let edited = footer.replace("by email", "by telephone");
    let story = |n: &str| {
        format!("The {n} story, long enough to stand as the page's own text, with a clause or two, and a full stop at the end.")
    };
    let model = SiteModel::new();
    for n in ["harbour", "market", "school"] {
        model.observe(boildown::Page::text(&format!("{}\n{footer}", story(n))).with_site(SITE));
    }
    let page = format!("{}\n{edited}", story("storm"));
    model.observe(boildown::Page::text(&page).with_site(SITE));
    let edited_fp = boildown::fingerprint(&edited);
    assert!(edited_fp.tokens >= 16);
    assert_eq!(model.count(SITE, edited_fp.exact), 1); // not the same text ...
    let cleaned = Cleaner::default().clean(boildown::Page::text(&page).with_site(SITE), &model);
    // ... but near enough: it counts as the footer on the three other pages.
    match cleaned.blocks()[1].verdict.reason() {
        Some(Reason::SiteTemplate(t)) => assert_eq!((t.pages, t.of), (4, 4)),
        other => panic!("{other:?}"),
    }
    // With near repeats measured more strictly, it is the page's own text.
    let strict = Cleaner::new(boildown::Config::default().with_near_distance(0)).unwrap();
    assert!(strict
        .clean(boildown::Page::text(&page).with_site(SITE), &model)
        .blocks()[1]
        .verdict
        .is_keep());
    let exact_only = Cleaner::new(boildown::Config::default().with_near_repeats(false)).unwrap();
    assert!(exact_only
        .clean(boildown::Page::text(&page).with_site(SITE), &model)
        .blocks()[1]
        .verdict
        .is_keep());
}
